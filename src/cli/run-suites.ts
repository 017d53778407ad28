import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';
import { createLogger } from '../common/logger.ts';
import type { CertificationInput } from '../journey/certification.ts';
import { CertificationAllureReporter } from '../report/allure-reporter.ts';
import { childPids, signalChildren, waitForExit } from './child-processes.ts';
import { ProgressReporter } from './progress.ts';

const log = createLogger('suites');
const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs the certification suites (suites/*.spec.ts) with vitest, handing them the run through `provide`.
 * Reports: vitest's own progress (junit.xml is written from the certificate by the report step). Ctrl-C/SIGTERM: the suites clean up
 * and write their report, then this resolves with `interrupted`.
 */
export async function runSuites(input: CertificationInput, runDir: string): Promise<{ interrupted: boolean }> {
  let interrupted = false;
  let workers: number[] = [];
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log.warn(`${signal}: stopping the run, cleaning up, writing the report`);
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
      undefined,
      // the suites' own output goes to <runDir>/upcert.log; the progress shows steps, warnings and errors
      { stdout: progress.output.stdout, stderr: progress.output.stderr },
    );
    // after an interrupt the worker writes the report and stops the platform before it exits: wait for it
    if (interrupted) await waitForExit(workers, 60_000);
    await vitest?.close();
    if (interrupted) await waitForExit([...workers, ...childPids()], 60_000);
    return { interrupted };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
