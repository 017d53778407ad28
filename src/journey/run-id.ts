/** A run's id: the UTC start to the second, then the pair (`20261202T061500Z-v1.7.0-v1.8.0`). */
export function newRunId(from: string, to: string, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${from}-${to}`;
}
