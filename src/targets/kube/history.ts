import { StepFailedError } from '../../config/errors.ts';
import type { HelmRevision } from './helm.ts';

/**
 * The revision `helm rollback` returns to for `release`: the newest earlier revision that ran that release's
 * chart version (`upcert-platform-1.7.0`), so a rollback lands on exactly the release the run installed.
 */
export function rollbackRevision(history: readonly HelmRevision[], chartName: string, chartVersion: string): number {
  const sorted = [...history].sort((a, b) => b.revision - a.revision);
  const current = sorted[0];
  const wanted = `${chartName}-${chartVersion}`;
  const found = sorted.find((h) => h !== current && h.chart === wanted && h.status !== 'failed' && h.status !== 'pending-install');
  if (!found) {
    const seen = sorted.map((h) => `${h.revision}:${h.chart}:${h.status}`).join(', ');
    throw new StepFailedError(`rollback: no earlier revision of ${wanted} in helm history (${seen || 'empty'})`);
  }
  return found.revision;
}
