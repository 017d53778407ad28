import type { RolloutEvent } from '../common/rollout-event.ts';

/** Colours and glyphs of timeline.html: one place, so the legend and the drawing cannot disagree. */
export const outcomeColors = { served: '#22a06b', refused: '#8aa4c8', failed: '#e5484d' } as const;

const palette = ['#3e7bfa', '#f5a524', '#9b5de5', '#14b8a6', '#ec4899', '#84cc16'];

/** The served version a release name stands for (`v1.7.0-stream-cut` serves as `v1.7.0`). */
function versionOf(release: string | undefined, versions: readonly string[]): string | undefined {
  return versions.find((v) => release === v || release?.startsWith(`${v}-`));
}

/** N in blue, N+1 in amber, any other version in the colours after them. */
export function versionColors(versions: readonly string[], from?: string, to?: string): Map<string, string> {
  const n = versionOf(from, versions);
  const next = versionOf(to, versions);
  const colors = new Map<string, string>();
  if (n) colors.set(n, palette[0]!);
  if (next && next !== n) colors.set(next, palette[1]!);
  let i = 2;
  for (const v of versions) if (!colors.has(v)) colors.set(v, palette[i++ % palette.length]!);
  return colors;
}

export type Glyph = 'circle' | 'ring' | 'triangle' | 'square' | 'diamond' | 'bar' | 'cross';

/** Replica-level events: drawn in their component's lane, and as thin markers across the charts. */
export const replicaKinds: Record<string, { color: string; glyph: Glyph; label: string }> = {
  'rollout-started': { color: '#64748b', glyph: 'bar', label: 'rollout started/complete' },
  'rollout-complete': { color: '#64748b', glyph: 'bar', label: 'rollout started/complete' },
  'replica-created': { color: '#94a3b8', glyph: 'ring', label: 'replica created' },
  'replica-ready': { color: '#16a34a', glyph: 'triangle', label: 'ready' },
  'replica-unready': { color: '#f97316', glyph: 'triangle', label: 'unready' },
  'endpoint-added': { color: '#0ea5e9', glyph: 'diamond', label: 'endpoint added' },
  'endpoint-removed': { color: '#d97706', glyph: 'diamond', label: 'endpoint removed' },
  sigterm: { color: '#dc2626', glyph: 'cross', label: 'SIGTERM' },
  sigkill: { color: '#7f1d1d', glyph: 'cross', label: 'SIGKILL' },
  'replica-exited': { color: '#475569', glyph: 'square', label: 'exited' },
};

/** Kinds drawn as vertical lines across the request charts (what changes who serves traffic). */
export const markerKinds = new Set(['replica-ready', 'endpoint-added', 'endpoint-removed', 'sigterm', 'sigkill']);

/** Run-level markers (phase steps, migration head): labelled dashed lines. */
export function runMarkerColor(kind: string): string {
  if (kind === 'migration-head') return '#7c3aed';
  if (kind.endsWith('-failed')) return '#b91c1c';
  if (kind.startsWith('load-')) return '#0f766e';
  return '#334155';
}

export function isReplicaEvent(e: RolloutEvent): boolean {
  return Boolean(e.component) && e.kind in replicaKinds;
}

/** The short label of a run-level marker: its kind, and the migration head when it is one. */
export function markerLabel(e: RolloutEvent): string {
  if (e.kind === 'migration-head' && e.detail && typeof e.detail === 'object') return `head ${String(e.detail.head)}`;
  return e.kind;
}

export function describeEvent(e: RolloutEvent): string {
  const who = [e.component, e.replica, e.version && `(${e.version})`].filter(Boolean).join(' ');
  const detail = e.detail === undefined ? '' : typeof e.detail === 'string' ? e.detail : JSON.stringify(e.detail);
  return [e.kind, who, detail].filter(Boolean).join(' · ');
}
