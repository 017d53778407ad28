import { createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { fileLayer, mergeLayers } from '../config/resolve.ts';
import { type Certificate, certificateSchema } from '../report/certificate.ts';
import type { SelfcheckCase } from './cases.ts';
import { describeLeftovers, isClean, type Leftovers, leftoversOf } from './leftovers.ts';
import { type CaseResult, judgeCase } from './matrix.ts';

const bin = fileURLToPath(new URL('../../bin/upcert.js', import.meta.url));

/**
 * What a broken release's run changes, and why it weakens nothing:
 * - `progressDeadlineSeconds: 20`: a healthy replica here is ready within a few seconds; a replica that never
 *   becomes ready (migration-fails, snapshot-shape-break, false-rollback-claim) fails the rollout after 20 s
 *   instead of 90 s. The rollout still fails, which is what those defects are meant to cause.
 * - `minRequests: 2000`: the load still runs through the whole rollout and the settle period (every drop
 *   happens while N's replicas terminate, whatever the minimum); only the tail that tops a phase up to 5000
 *   requests goes.
 * Good pairs run with the user's configuration as it is.
 */
export const defectRunOverrides = { timeouts: { progressDeadlineSeconds: 20 }, load: { minRequests: 2000 } };

export interface RunnerOptions {
  /** where every case's report and log go: `<dir>/<case>/`. */
  dir: string;
  /** the user's configuration file (default upcert.config.yaml when present). */
  configFile?: string;
  /** a run that takes longer is stopped (SIGTERM, then SIGKILL 60 s later) and counts as failed. */
  caseTimeoutMs: number;
  /** called with the child's pid while a case runs (the CLI forwards Ctrl-C to it). */
  onChild?: (pid: number | undefined) => void;
}

const slug = (name: string) => name.replace(/[^A-Za-z0-9.#-]+/g, '_');

async function configFor(kase: SelfcheckCase, caseDir: string, opts: RunnerOptions): Promise<string> {
  const user = fileLayer(opts.configFile ?? 'upcert.config.yaml', Boolean(opts.configFile));
  const layer = kase.kind === 'defect' ? mergeLayers(user, defectRunOverrides) : user;
  const file = path.join(caseDir, 'upcert.config.yaml');
  await writeFile(file, `# selfcheck: configuration of ${kase.name}\n${stringify(layer)}`);
  return file;
}

async function findCertificate(reportDir: string): Promise<Certificate | undefined> {
  const entries = await readdir(reportDir, { withFileTypes: true }).catch(() => []);
  for (const e of entries.filter((x) => x.isDirectory())) {
    const text = await readFile(path.join(reportDir, e.name, 'certificate.json'), 'utf8').catch(() => undefined);
    if (text) return certificateSchema.parse(JSON.parse(text));
  }
  return undefined;
}

/**
 * A temp dir of the case's own (TMPDIR of its run): what the run leaves behind is told apart from everything
 * else on the machine. Traversable (711), as PostgreSQL, run as another user when we are root, must reach its
 * data dir there. tsx's compile cache is linked in from the real temp dir, so no case compiles from scratch.
 */
async function caseTempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'upcert-selfcheck-case-'));
  await chmod(dir, 0o711);
  const cache = `tsx-${os.userInfo().uid}`;
  await mkdir(path.join(os.tmpdir(), cache), { recursive: true, mode: 0o700 });
  await symlink(path.join(os.tmpdir(), cache), path.join(dir, cache));
  return dir;
}

/** The case's leftovers once its run exited (a few seconds for exits already under way), then removed. */
async function collectLeftovers(dir: string): Promise<Leftovers> {
  let left = await leftoversOf(dir);
  for (let i = 0; i < 10 && left.processes.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 500));
    left = await leftoversOf(dir);
  }
  for (const p of left.processes) {
    try {
      process.kill(Number(p.split(' ')[0]), 'SIGKILL');
    } catch {}
  }
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  return left;
}

/**
 * Certifies one case in a child `upcert certify` (its own process and temp dir: nothing of one run can leak
 * into the next, and what it left behind is named: a case that leaves a process, a port or a file fails).
 */
export async function runCase(kase: SelfcheckCase, opts: RunnerOptions): Promise<CaseResult> {
  const caseDir = path.resolve(opts.dir, slug(kase.name));
  const reportDir = path.join(caseDir, 'reports');
  await mkdir(reportDir, { recursive: true });
  const config = await configFor(kase, caseDir, opts);
  const log = createWriteStream(path.join(caseDir, 'certify.log'));
  const tmp = await caseTempDir();
  const started = Date.now();
  const child = execa(
    process.execPath,
    [bin, 'certify', '--config', config, '--from', kase.from, '--to', kase.to, '--report-dir', reportDir],
    {
      reject: false,
      all: true,
      buffer: false,
      timeout: opts.caseTimeoutMs,
      killSignal: 'SIGTERM',
      forceKillAfterDelay: 60_000,
      env: { NO_COLOR: '1', TMPDIR: tmp },
    },
  );
  opts.onChild?.(child.pid);
  child.all?.pipe(log);
  const result = await child;
  opts.onChild?.(undefined);
  await new Promise((resolve) => log.end(resolve));
  const durationMs = Date.now() - started;
  const leftovers = await collectLeftovers(tmp);
  const certificate = await findCertificate(reportDir);
  const error = result.timedOut
    ? `timed out after ${Math.round(opts.caseTimeoutMs / 1000)} s`
    : certificate
      ? undefined
      : `upcert certify exited ${result.exitCode ?? result.signal} without a certificate (see ${path.join(caseDir, 'certify.log')})`;
  const judged = judgeCase(kase, certificate, { durationMs, reportDir, error });
  if (isClean(leftovers)) return { ...judged, leftovers };
  return { ...judged, leftovers, ok: false, problems: [...judged.problems, describeLeftovers(leftovers)] };
}
