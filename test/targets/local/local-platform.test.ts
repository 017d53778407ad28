import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startTestPlatform } from '../../../fixtures/platform/test/support/platform.ts';
import type { RolloutEvent } from '../../../src/common/rollout-event.ts';
import { loadRelease } from '../../../src/release/catalog.ts';
import { componentNames } from '../../../src/release/manifest.ts';
import { accepts, alive, eventually } from './process-tree.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const digestOf = (file: string) =>
  `sha256:${createHash('sha256')
    .update(readFileSync(path.join(root, file)))
    .digest('hex')}`;

describe('local platform on the real components', () => {
  it('installs, upgrades (resetting a hand edit), rolls back, and leaves nothing behind', async () => {
    const events: RolloutEvent[] = [];
    let runDir = '';
    let pids: number[] = [];
    let ports: number[] = [];
    {
      await using p = await startTestPlatform({ release: 'v1.7.0', onEvent: (e) => events.push(e) });
      runDir = p.runDir;
      expect(statSync(path.join(runDir, 'secrets.json')).mode & 0o777).toBe(0o600);
      expect(statSync(path.join(runDir, 'secrets-values.yaml')).mode & 0o777).toBe(0o600);
      const config = JSON.parse(readFileSync(p.configFile('gateway'), 'utf8'));
      expect(config.services.identity).toBe(p.endpoints.identity);
      expect(config.database.port).toBe(p.database.port);

      const installed = await p.components();
      expect(installed.map((c) => [c.name, c.version, c.readyReplicas])).toEqual(
        componentNames.map((c) => [c, 'v1.7.0', 1]),
      );
      for (const c of installed)
        expect(c.digest).toBe(digestOf(loadRelease('v1.7.0').components[c.name as 'gateway'].artifact.path));

      await p.editLive({ component: 'gateway', path: 'gateway.maxRequestBytes', value: 1024 });
      expect(await p.readLive('gateway', 'gateway.maxRequestBytes')).toBe(1024);

      await p.upgrade('v1.8.0');
      expect((await p.components()).map((c) => c.version)).toEqual(['v1.8.0', 'v1.8.0', 'v1.8.0', 'v1.8.0']);
      expect(await p.readLive('gateway', 'gateway.maxRequestBytes')).toBe(10485760); // the chart wins
      const heads = await p.database.query<{ name: string }>('select name from pgmigrations order by id desc limit 1');
      expect(heads[0]?.name).toBe('0004_consumer_labels');
      const models = await fetch(`${p.endpoints.gateway}/healthz`);
      expect(models.status).toBe(200);

      await p.rollback('v1.7.0');
      expect(p.release).toBe('v1.7.0');
      expect((await p.components()).map((c) => c.version)).toEqual(['v1.7.0', 'v1.7.0', 'v1.7.0', 'v1.7.0']);
      pids = p.pids();
      ports = Object.values(p.endpoints).map((u) => Number(new URL(u).port));
    }
    const kinds = events.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'rollout-complete')).toHaveLength(5 + 4 + 4); // install (with provider-mock), upgrade, rollback
    expect(pids.length).toBe(5);
    expect(await eventually(() => pids.every((pid) => !alive(pid)), 5000)).toBe(true);
    for (const port of ports) expect(await accepts(port)).toBe(false);
    expect(existsSync(runDir)).toBe(false);
  }, 240_000);
});
