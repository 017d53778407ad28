import path from 'node:path';
import type { RunState } from '../checks/run-state.ts';
import { onInterrupt } from '../common/child-registry.ts';
import { createLogger } from '../common/logger.ts';
import { writeJson } from '../report/write-files.ts';

const log = createLogger('keep');

/** What `--keep` hands the CLI: the kept platform's URLs (the CLI prints them as one JSON line, like `platform up`). */
export const keptPlatformFile = 'kept-platform.json';

export interface KeptPlatform {
  release: string;
  gateway: string;
  controlPlane: string;
  console: string;
  identity: string;
}

/**
 * `--keep`: the whole platform keeps serving in the foreground after the run, until Ctrl-C/SIGTERM, which stops
 * everything (the platform's own interrupt cleanup). The report is already written.
 */
export async function keepServing(run: RunState): Promise<void> {
  const platform = run.requirePlatform();
  const kept: KeptPlatform = {
    release: run.expectedRelease(run.rollouts.has('rollback') ? 'rollback' : 'upgrade').name,
    gateway: platform.endpoints.gateway,
    controlPlane: platform.endpoints.controlPlane,
    console: platform.endpoints.console,
    identity: platform.endpoints.identity,
  };
  const stopped = new Promise<void>((resolve) => onInterrupt(async () => resolve()));
  await writeJson(path.join(run.reportDir, keptPlatformFile), kept);
  log.info('--keep: the platform keeps serving until Ctrl-C', { ...kept });
  await stopped;
}

/** How long the run's last hook may take: unbounded (the user's Ctrl-C ends it) only when the platform is kept. */
export function finishTimeoutMs(keep: boolean, otherwiseMs: number): number {
  return keep ? 2 ** 31 - 1 : otherwiseMs;
}
