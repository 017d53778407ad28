/**
 * Faults named (issue 11 item 9): a real embedded PostgreSQL killed with SIGKILL is recorded as such, and a check
 * that then cannot gather its evidence says what was down and since when, not only `ECONNREFUSED`.
 */
import { describe, expect, it } from 'vitest';
import { ComponentHealth } from '../../src/checks/component-health.ts';
import { Timeline } from '../../src/common/timeline.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';

describe('ComponentHealth', () => {
  it('names a PostgreSQL killed with SIGKILL, with the time since the run started', async () => {
    const startedAt = Date.now();
    const timeline = new Timeline(() => Date.now());
    const health = new ComponentHealth(startedAt);
    timeline.subscribe((e) => health.record(e));
    const db = await startEmbeddedPostgres({ databasePassword: 'health-test-password' });
    try {
      db.onUnexpectedExit(({ code, signal }) =>
        timeline.emit('replica-exited', 'postgresql', 'postgresql-0', 'embedded', { code, signal, unexpected: true }),
      );
      expect(health.down()).toEqual([]);
      const pid = Number((db as unknown as { child: { pid: number } }).child.pid);
      process.kill(pid, 'SIGKILL');
      await expect.poll(() => health.down(), { timeout: 10_000 }).toHaveLength(1);
      expect(health.down()[0]).toMatch(/^PostgreSQL exited at \+\d+\.\d s \(SIGKILL\)$/);
    } finally {
      await db.stop();
    }
  });

  it('a replica stopped by a rollout is not down; one that stops answering is, until it is ready again', () => {
    const health = new ComponentHealth(1000);
    const e = (kind: string, t: number, detail?: Record<string, unknown>) => ({
      t,
      kind,
      component: 'control-plane',
      replica: 'control-plane-v1.8.0-3',
      version: 'v1.8.0',
      detail,
    });
    health.record(e('replica-exited', 2000, { code: 0, signal: null }));
    expect(health.down()).toEqual([]);
    health.record(e('replica-unready', 13_000));
    expect(health.down()).toEqual(['control-plane-v1.8.0-3 not ready since +12.0 s']);
    health.record(e('replica-ready', 33_000));
    expect(health.down()).toEqual([]);
  });
});
