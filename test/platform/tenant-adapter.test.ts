/**
 * The tenant adapter contract (src/platform/tenant-adapter.ts) on the example adapter the seed product's profile
 * names, against a live reference platform (whose configuration API the example speaks), and on broken adapters:
 * the contract finds each fault.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform } from '../../fixtures/platform/test/support/platform.ts';
import { BadInputError } from '../../src/common/errors.ts';
import { probeGateway } from '../../src/load/probe.ts';
import { loadPlatform } from '../../src/platform/profile.ts';
import {
  type AdapterConsumer,
  checkTenantAdapter,
  loadTenantAdapter,
  type TenantAdapter,
  type TenantAdapterContext,
} from '../../src/platform/tenant-adapter.ts';
import { defaultRoot } from '../../src/release/catalog.ts';

const example = 'fixtures/platforms/opsta/tenant-adapter.example.ts';
const dir = mkdtempSync(path.join(os.tmpdir(), 'upcert-adapter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loading a tenant adapter', () => {
  it("the seed product's profile names the example, which loads", async () => {
    const opsta = loadPlatform('opsta');
    expect(opsta.tenants?.adapter).toBe(example);
    expect(opsta.chart).toMatchObject({
      oci: 'oci://ghcr.io/opsta/charts/opsta-ai-gateway',
      namespace: 'opsta-ai-gateway',
    });
    const adapter = await loadTenantAdapter(defaultRoot, example);
    expect(typeof adapter.seed).toBe('function');
  });

  it('a missing module or one without the three functions is bad input naming tenants.adapter', async () => {
    await expect(loadTenantAdapter(dir, 'nope.ts')).rejects.toThrow(/tenants.adapter: nope.ts does not exist/);
    writeFileSync(path.join(dir, 'half.ts'), 'export default { seed: async () => ({}) };\n');
    await expect(loadTenantAdapter(dir, 'half.ts')).rejects.toThrow(BadInputError);
    await expect(loadTenantAdapter(dir, 'half.ts')).rejects.toThrow(/default export lacks fingerprint, remove/);
  });
});

describe('the adapter contract against a live reference platform', () => {
  let platform: Awaited<ReturnType<typeof startTestPlatform>>;
  let ctx: TenantAdapterContext;
  let gateway: (c: AdapterConsumer) => Promise<number>;
  let adapter: TenantAdapter;
  let prices: Record<string, { inputMicroUsdPerToken: number; outputMicroUsdPerToken: number }> = {};
  beforeAll(async () => {
    platform = await startTestPlatform({ release: 'v1.8.0' });
    adapter = await loadTenantAdapter(defaultRoot, example);
    ctx = {
      apiUrl: platform.endpoints.controlPlane,
      adminToken: platform.secrets.adminToken,
      providerMockUrl: platform.platformUrls.providerMock,
      version: 'v1.8.0',
      prefix: undefined,
      timeoutMs: 10_000,
    };
    gateway = async (c) => {
      const answer = await probeGateway(
        platform.endpoints.gateway,
        { ...c, prompt: 'hello' },
        { prices, timeoutMs: 10_000 },
      );
      return answer.status;
    };
  });
  afterAll(async () => {
    await platform?.[Symbol.asyncDispose]();
  });

  it('the example holds: ten served consumers, a stable fingerprint without secrets, keys revoked on remove', async () => {
    const seeded = adapter.seed.bind(adapter);
    const observed: TenantAdapter = {
      ...adapter,
      seed: async (c) => {
        const tenants = await seeded(c);
        prices = tenants.prices;
        return tenants;
      },
    };
    expect(await checkTenantAdapter(observed, { ...ctx, prefix: 'r1' }, gateway)).toEqual([]);
  });

  it('finds an adapter that removes nothing, and one whose fingerprint holds a key', async () => {
    const leaky: TenantAdapter = {
      seed: async (c) => {
        const tenants = await adapter.seed(c);
        prices = tenants.prices;
        return tenants;
      },
      fingerprint: async (_c, tenants) => ({ keys: tenants.consumers.map((c) => c.key) }),
      remove: async () => undefined,
    };
    const problems = await checkTenantAdapter(leaky, { ...ctx, prefix: 'r2' }, gateway, 2000);
    expect(problems.some((p) => /^fingerprint: holds .* key$/.test(p))).toBe(true);
    expect(problems.some((p) => /^remove: .* still served after 2 s$/.test(p))).toBe(true);
  });

  it('finds consumers that are too few, unprefixed and unpriced', async () => {
    const thin: TenantAdapter = {
      seed: async () => ({
        consumers: [{ consumer: 'a.b.c', key: 'sk-none', model: 'unknown', expect: 200 }],
        prices: {},
        state: null,
      }),
      fingerprint: async () => ({}),
      remove: async () => undefined,
    };
    const problems = await checkTenantAdapter(thin, { ...ctx, prefix: 'r3' }, async () => 401, 500);
    expect(problems).toEqual(
      expect.arrayContaining([
        'seed: 1 consumers, a certification needs at least 10',
        "seed: no price for a.b.c's model unknown",
        'seed: a.b.c lacks the prefix r3',
        'gateway: a.b.c got 401, meant to get 200',
      ]),
    );
  });
});
