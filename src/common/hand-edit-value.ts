/**
 * The value a run's hand edit writes, per setting of the reference platform (CONTRACT.md): `request-limit`
 * sets a 4 KB request limit (the product's own example), `response-tag` a tag naming the run (what the
 * gateway echoes in `x-config-tag`). One function, so that the plan shows the very value the run writes.
 */
export function handEditValue(setting: 'request-limit' | 'response-tag', runId: string): string | number {
  return setting === 'request-limit' ? 4096 : `hand-edit-${runId.slice(0, 15).toLowerCase()}`;
}

export const handEditPaths = {
  'request-limit': 'gateway.maxRequestBytes',
  'response-tag': 'gateway.responseTag',
} as const;
