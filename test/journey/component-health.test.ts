/**
 * Faults named (issue 11 item 9): a real embedded PostgreSQL killed with SIGKILL is recorded as such, and a check
 * that then cannot gather its evidence says what was down and since when, not only `ECONNREFUSED`.
 */
import { describe, expect, it } from 'vitest';
import { ComponentHealth } from '../../src/checks/component-health.ts';
import { Timeline } from '../../src/common/timeline.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';

/** PostgreSQL killed with SIGKILL at `t`, as the local target reports it. */
const postgresKilled = (t: number) => ({
  t,
  kind: 'replica-exited',
  component: 'postgresql',
  replica: 'postgresql-0',
  version: 'embedded',
  detail: { code: null, signal: 'SIGKILL', unexpected: true },
});

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

  it('the first to go down is named first, whatever order the replicas were first heard of in', () => {
    // seen in CI: new replicas created during the upgrade, then PostgreSQL killed, then those replicas exiting
    // (exit code 78) because it was gone; a check names at most three, so the cause must come first
    const health = new ComponentHealth(1000);
    const replica = (name: string) => ({ component: name, replica: `${name}-v1.8.0-3`, version: 'v1.8.0' });
    for (const name of ['gateway', 'control-plane', 'console', 'identity'])
      health.record({ t: 50_000, kind: 'replica-created', ...replica(name) });
    health.record(postgresKilled(60_000));
    for (const [i, name] of ['gateway', 'control-plane', 'console', 'identity'].entries())
      health.record({
        t: 61_000 + i * 100,
        kind: 'replica-exited',
        ...replica(name),
        detail: { code: 78, signal: null, unexpected: true },
      });
    expect(health.down()[0]).toBe('PostgreSQL exited at +59.0 s (SIGKILL)');
    expect(health.down()).toHaveLength(5);
  });

  it('a replica that keeps exiting is down since its first exit, and ordered by it', () => {
    const health = new ComponentHealth(1000);
    const gateway = { component: 'gateway', replica: 'gateway-v1.8.0-3', version: 'v1.8.0' };
    const exited = (t: number) => ({ t, kind: 'replica-exited', ...gateway, detail: { code: 1, unexpected: true } });
    health.record(exited(11_000));
    health.record({ t: 12_000, kind: 'replica-created', ...gateway }); // restarted, exits again
    health.record(exited(13_000));
    health.record(postgresKilled(60_000));
    health.record({ t: 62_000, kind: 'replica-created', ...gateway });
    health.record(exited(63_000));
    expect(health.down()).toEqual([
      'gateway-v1.8.0-3 exited at +62.0 s (exit code 1) (down since +10.0 s)',
      'PostgreSQL exited at +59.0 s (SIGKILL)',
    ]);
    health.record({ t: 70_000, kind: 'replica-ready', ...gateway });
    health.record(exited(80_000));
    expect(health.down()[1]).toBe('gateway-v1.8.0-3 exited at +79.0 s (exit code 1)');
  });
});
