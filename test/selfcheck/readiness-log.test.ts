import { describe, expect, it } from 'vitest';
import { readinessOrder } from '../../src/checks/migration-ordering/readiness-log.ts';

const line = (msg: string, ts: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ts, level: 'info', component: 'control-plane', replica: 'control-plane-v1.8.0-3', msg, ...extra });

describe('readinessOrder (migration-ordering evidence from the control plane log)', () => {
  it('a good start: migrations complete, then ready', () => {
    const log = [
      line('listening', 't1', { version: 'v1.8.0' }),
      line('migrations complete', 't2'),
      line('ready', 't3'),
    ].join('\n');
    expect(readinessOrder('cp.log', log, 'v1.8.0')).toEqual([
      { replica: 'control-plane-v1.8.0-3', log: 'cp.log', readyAt: 't3', migratedAt: 't2' },
    ]);
  });

  it('ready before migrations, across a restart that appended to the same log', () => {
    const log = [
      line('ready', 't1'),
      line('listening', 't2', { version: 'v1.8.0' }),
      line('migrations complete', 't3'),
      'plain stderr text',
      line('migrations complete', 't4'),
      line('ready', 't5'),
      line('ready', 't6'),
    ].join('\n');
    expect(readinessOrder('cp.log', log, 'v1.8.0').map((r) => r.migratedAt)).toEqual([null, 't4', null]);
  });

  it('ignores other versions and other components', () => {
    const log = [line('listening', 't1', { version: 'v1.7.0' }), line('ready', 't2')].join('\n');
    expect(readinessOrder('cp.log', log, 'v1.8.0')).toEqual([]);
  });
});
