#!/usr/bin/env node
// A stand-in for `helm upgrade` and `helm rollback` (named so: no cluster can run here) that behaves as helm
// v4.1.4's commands do on a signal. upgrade (pkg/cmd/upgrade.go): SIGINT and SIGTERM cancel the operation's context; it prints
// "Release <name> has been cancelled.", records the release as failed and exits 1 with
// "Error: UPGRADE FAILED: context canceled". STAND_IN_IGNORE_TERM=1: a helm that does not end on a signal (it
// ends by itself after STAND_IN_LIFETIME_MS).
// It writes what happened to STAND_IN_LOG.
import { appendFileSync } from 'node:fs';

const [verb, name] = process.argv.slice(2);
const record = (line) => appendFileSync(process.env.STAND_IN_LOG, `${line}\n`);
record(`started ${verb} ${name}`);
const cancel = (signal) => {
  record(`got ${signal}`);
  if (process.env.STAND_IN_IGNORE_TERM === '1') return;
  process.stdout.write(`Release ${name} has been cancelled.\n`);
  setTimeout(() => {
    record('recorded the release as failed');
    process.stderr.write('Error: UPGRADE FAILED: context canceled\n');
    process.exit(1);
  }, 300);
};
// `helm rollback` handles no signal (pkg/cmd/rollback.go): SIGTERM would end it where it stands.
if (verb !== 'rollback') {
  process.on('SIGTERM', () => cancel('SIGTERM'));
  process.on('SIGINT', () => cancel('SIGINT'));
}
setTimeout(
  () => {
    record('finished');
    process.exit(0);
  },
  Number(process.env.STAND_IN_LIFETIME_MS ?? 30_000),
);
