import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';
import { createLogger } from '../common/logger.ts';
import type { RunTempDir } from '../config/temp-dir.ts';
import type { CertificationInput } from '../journey/certification.ts';
import { CertificationAllureReporter } from '../report/allure-reporter.ts';
import { childPids, signalChildren, waitForExit } from './child-processes.ts';
import { sayWhatMayBeLeft } from './force-exit.ts';
import { watchForKeptPlatform } from './kept-platform.ts';
import { ProgressReporter } from './progress.ts';

const log = createLogger('suites');
const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs the certification suites (suites/*.spec.ts) with vitest, handing them the run through `provide`.
 * Reports: vitest's own progress (junit.xml is written from the certificate by the report step). Ctrl-C/SIGTERM: the suites clean up
 * and write their report, then this resolves with `interrupted`.
 */
export async function runSuites(
  input: CertificationInput,
  runDir: string,
  tempDir: RunTempDir,
): Promise<{ interrupted: boolean; kept: boolean }> {
  let interrupted = false;
  const keep = input.config.keep ? watchForKeptPlatform(runDir) : undefined;
  let interruptedAt = 0;
  let workers: number[] = [];
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      // the first Ctrl-C of a terminal often arrives twice (to the group, and forwarded): only a later one forces
      if (Date.now() - interruptedAt < 2000) return;
      log.warn(`second ${signal}: forcing exit`);
      signalChildren(signal);
      void waitForExit(workers, 1000).finally(() => {
        sayWhatMayBeLeft(tempDir.dir, runDir);
        process.exit(130);
      });
      return;
    }
    interrupted = true;
    interruptedAt = Date.now();
    if (keep?.kept()) log.info(`${signal}: stopping the kept platform`);
    else log.warn(`${signal}: aborting the running step, writing the report, stopping the platform (again to force)`);
    workers = signalChildren(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = new ProgressReporter({
    stream: process.stderr,
    env: process.env,
    logFile: path.join(runDir, 'upcert.log'),
  });
  try {
    const vitest = await startVitest(
      'test',
      [],
      {
        root,
        config: false,
        watch: false,
        include: ['suites/**/*.spec.ts'],
        pool: 'forks',
        fileParallelism: false,
        testTimeout: 600_000,
        hookTimeout: 600_000,
        teardownTimeout: 120_000,
        retry: 0,
        bail: 0,
        provide: { upcert: input },
        reporters: [
          // vitest's logger exits the process on SIGINT/SIGTERM; a certification must first let its worker
          // write the report and stop the platform, so those signals stay ours (see onSignal above)
          {
            onInit: () => {
              for (const signal of ['SIGINT', 'SIGTERM'] as const) {
                for (const listener of process.listeners(signal))
                  if (listener !== onSignal) process.off(signal, listener);
              }
            },
          },
          progress,
          new CertificationAllureReporter(runDir, {
            from: input.config.from,
            to: input.config.to,
            target: input.config.target,
            runId: input.runId,
          }),
        ],
      },
      // vite's cache outside node_modules: an entry added there makes npm's hidden lockfile stale, and every
      // later `npx upcert` then walks the whole tree (@npmcli/arborist shrinkwrap.js assertNoNewer)
      { cacheDir: path.join(root, '.cache', 'vite') },
      // the suites' own output goes to <runDir>/upcert.log; the progress shows steps, warnings and errors
      { stdout: progress.output.stdout, stderr: progress.output.stderr },
    );
    // after an interrupt the worker writes the report and stops the platform before it exits: wait for it
    if (interrupted) await waitForExit(workers, 60_000);
    await vitest?.close();
    if (interrupted) await waitForExit([...workers, ...childPids()], 60_000);
    return { interrupted, kept: keep?.kept() ?? false };
  } finally {
    keep?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
