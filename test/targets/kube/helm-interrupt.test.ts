/**
 * Ctrl-C during a helm operation (issue 12 item 12): the operation gets SIGTERM, which helm handles by
 * cancelling and recording the release as failed, and the teardown waits for that before it goes on.
 * helm itself cannot change a release here (no cluster): a stand-in process named so plays helm's part.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type CommandRunner, execaRunner } from '../../../src/common/command.ts';
import { Helm } from '../../../src/targets/kube/helm.ts';

const standIn = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'stand-in-helm.mjs');
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function standInHelm(env: Record<string, string> = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'upcert-helm-interrupt-'));
  dirs.push(dir);
  const logFile = path.join(dir, 'helm.log');
  const run: CommandRunner = (_file, args, opts) =>
    execaRunner(standIn, args, { ...opts, env: { ...process.env, STAND_IN_LOG: logFile, ...env } });
  const helm = new Helm({ name: 'upcert-platform', namespace: 'upcert-platform' }, run, 5);
  const log = async () => (await readFile(logFile, 'utf8').catch(() => '')).trim().split('\n');
  const started = async () => {
    for (let i = 0; i < 100 && !(await log()).some((l) => l.startsWith('started')); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { helm, log, started };
}

const apply = { chart: 'chart.tgz', valuesFiles: ['values.yaml'], timeoutSeconds: 20 };

describe('an interrupted helm operation', () => {
  it('gets SIGTERM, records the release as failed, and settle waits until it has ended', async () => {
    const { helm, log, started } = await standInHelm();
    const upgrading = helm.upgrade(apply);
    const failed = upgrading.catch((error: unknown) => error);
    await started();
    expect(helm.running).toEqual(['helm upgrade upcert-platform']);
    expect(await helm.settle(5000)).toEqual([]);
    expect(await log()).toEqual(['started upgrade upcert-platform', 'got SIGTERM', 'recorded the release as failed']);
    const error = (await failed) as Error;
    expect(error.message).toMatch(/`helm upgrade upcert-platform .*` exited 1/);
    expect(error.message).toContain('UPGRADE FAILED: context canceled');
    expect(helm.running).toEqual([]);
  });

  it('names the operation that did not end in time (the release may be left pending)', async () => {
    const { helm, log, started } = await standInHelm({ STAND_IN_IGNORE_TERM: '1', STAND_IN_LIFETIME_MS: '2000' });
    const upgrading = helm.upgrade(apply);
    await started();
    expect(await helm.settle(500)).toEqual(['helm upgrade upcert-platform']);
    await upgrading; // it ends by itself (the stand-in's lifetime): nothing is left running after the test
    expect(await log()).toEqual(['started upgrade upcert-platform', 'got SIGTERM', 'finished']);
  });

  it('lets a rollback finish without a signal (helm rollback has no clean stop), then starts nothing new', async () => {
    const { helm, log, started } = await standInHelm({ STAND_IN_LIFETIME_MS: '1000' });
    const rolling = helm.rollback(1, 20, false);
    await started();
    expect(await helm.settle(5000)).toEqual([]);
    await rolling;
    expect(await log()).toEqual(['started rollback upcert-platform', 'finished']);
    await expect(helm.upgrade(apply)).rejects.toThrow(
      /helm upgrade upcert-platform: not started, the run is being interrupted/,
    );
  });

  it('has nothing to settle when no operation runs', async () => {
    const { helm } = await standInHelm();
    expect(await helm.settle(100)).toEqual([]);
  });
});
