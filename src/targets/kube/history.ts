import { StepFailedError } from '../../common/errors.ts';
import type { HelmRevision } from './helm.ts';

/**
 * The revision `helm rollback` returns to: the newest earlier revision that ran the release's chart version
 * (`helm history` shows `<chart>-<version>`, e.g. `upcert-platform-1.7.0`), so that a rollback lands on the
 * release the run installed, whatever the chart is called.
 */
export function rollbackRevision(history: readonly HelmRevision[], chartVersion: string): number {
  const sorted = [...history].sort((a, b) => b.revision - a.revision);
  const current = sorted[0];
  const wanted = `-${chartVersion}`;
  const usable = (h: HelmRevision) => h.status !== 'failed' && !h.status.startsWith('pending');
  const found = sorted.find((h) => h !== current && h.chart.endsWith(wanted) && usable(h));
  if (!found) {
    const seen = sorted.map((h) => `${h.revision}:${h.chart}:${h.status}`).join(', ');
    throw new StepFailedError(
      `rollback: no earlier revision of chart version ${chartVersion} in helm history (${seen || 'empty'})`,
    );
  }
  return found.revision;
}

/** The revision `helm history` shows as deployed now (the one a failed upgrade's rollback returns to). */
export function deployedRevision(history: readonly HelmRevision[]): number | undefined {
  return [...history].filter((h) => h.status === 'deployed').sort((a, b) => b.revision - a.revision)[0]?.revision;
}
