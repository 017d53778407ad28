import { z } from 'zod';
import type { Certificate } from '../report/certificate.ts';

/** The figures of one cell that regressions are judged on (null: the run has no such figure). */
export const figuresSchema = z.strictObject({
  /** the upgrade step (upgrade-started → upgrade-complete), longest hop. */
  upgradeDurationMs: z.number().nullable(),
  /** the restore-required rollback's outage (load stopped → served again). */
  rolloutOutageMs: z.number().nullable(),
  /** p99 latency in the rollout window, worst hop (latency-held's figure when present, else the ledger's). */
  rolloutP99Ms: z.number().nullable(),
  /** what the restore lost: backup → load stopped before the restore. */
  lostSpendWindowMs: z.number().nullable(),
});
export type Figures = z.infer<typeof figuresSchema>;

export interface HopFiles {
  certificate: Certificate;
  /** timeline.json's events (ledger clock). */
  events: { t: number; kind: string; detail?: unknown }[];
  /** the rollout window's request durations from ledger.csv (upgrade phase); empty when unread. */
  rolloutDurationsMs: number[];
}

const at = (h: HopFiles, kind: string, detail?: (d: unknown) => boolean) =>
  h.events.find((e) => e.kind === kind && (!detail || detail(e.detail)))?.t;

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** latency-held's rollout-window p99, wherever its evidence keeps it (`rollout.p99Ms` or `rolloutP99Ms`). */
export function latencyHeldP99(certificate: Certificate): number | null {
  const check = certificate.checks.find((c) => c.id === ('latency-held' as string) && c.phase === 'upgrade');
  const e = check?.evidence as Record<string, unknown> | undefined;
  const nested = (e?.rollout as Record<string, unknown> | undefined)?.p99Ms;
  const value = nested ?? e?.rolloutP99Ms;
  return typeof value === 'number' ? value : null;
}

function hopFigures(h: HopFiles): Figures {
  const started = at(h, 'upgrade-started');
  const completed = at(h, 'upgrade-complete');
  const backup = at(h, 'backup');
  const stopped = at(h, 'load-stopped', (d) => typeof d === 'string' && d.startsWith('rollback'));
  const rollback = h.certificate.checks.find((c) => c.id === 'rollback-clean');
  const restore = (rollback?.evidence as { restore?: { outageMs?: number | null } } | undefined)?.restore;
  return {
    upgradeDurationMs: started !== undefined && completed !== undefined ? Math.round(completed - started) : null,
    rolloutOutageMs: restore?.outageMs ?? null,
    rolloutP99Ms: latencyHeldP99(h.certificate) ?? percentile(h.rolloutDurationsMs, 99),
    lostSpendWindowMs: backup !== undefined && stopped !== undefined ? Math.round(stopped - backup) : null,
  };
}

const worst = (values: (number | null)[]) => {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : Math.max(...known);
};

/** A cell's figures: the worst hop's for each. */
export function figuresOf(hops: HopFiles[]): Figures {
  const each = hops.map(hopFigures);
  return {
    upgradeDurationMs: worst(each.map((f) => f.upgradeDurationMs)),
    rolloutOutageMs: worst(each.map((f) => f.rolloutOutageMs)),
    rolloutP99Ms: worst(each.map((f) => f.rolloutP99Ms)),
    lostSpendWindowMs: worst(each.map((f) => f.lostSpendWindowMs)),
  };
}
