import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BadInputError } from '../common/errors.ts';
import type { ModelPrices } from '../common/prices.ts';
import { waitFor } from '../common/wait-for.ts';

/**
 * A platform's tenant adapter (docs/platforms.md "Tenant adapters"): the small TypeScript module a customer fills
 * in when the product's configuration API is not public (the seed product's case), named by the profile's
 * `tenants.adapter`. It creates the tenants the load speaks for, fingerprints what must survive the upgrade, and
 * removes what it created. `checkTenantAdapter` is the contract, run by a test against a live platform.
 */
export interface TenantAdapterContext {
  /** The configuration API's base URL as the harness reaches it. */
  apiUrl: string;
  /** The platform admin's credential the target knows (the release's secrets). */
  adminToken: string;
  /** The mock upstream as the platform's gateways reach it: where seeded providers must point. */
  providerMockUrl: string;
  /** The release running now, as the platform writes its versions. */
  version: string;
  /** On a shared cluster every id carries it (what the run removes at its end); undefined on upcert's own platform. */
  prefix: string | undefined;
  timeoutMs: number;
}

export interface AdapterConsumer {
  /** `organization.project.user`. */
  consumer: string;
  /** The API key the load sends (`Authorization: Bearer <key>`). */
  key: string;
  /** The logical model it asks for. */
  model: string;
  /** 200, or the refusal it is meant to get (403 a guardrail, 429 a budget). */
  expect: 200 | 403 | 429;
}

export interface AdapterTenants {
  consumers: AdapterConsumer[];
  /** Prices of each consumer's model, as the platform bills them. */
  prices: Record<string, ModelPrices>;
  /** Whatever the adapter needs to fingerprint and remove them later (kept by the run, opaque to upcert). */
  state: unknown;
}

export interface TenantAdapter {
  seed(ctx: TenantAdapterContext): Promise<AdapterTenants>;
  /** A JSON view of the seeded tenants that must be identical after the upgrade (no key secret in it). */
  fingerprint(ctx: TenantAdapterContext, tenants: AdapterTenants): Promise<unknown>;
  /** Removes everything `seed` created (a shared cluster is left as it was). A `seed` that fails removes its own part. */
  remove(ctx: TenantAdapterContext, tenants: AdapterTenants): Promise<void>;
}

/** Loads the module a profile's `tenants.adapter` names (its default export); bad input naming the field otherwise. */
export async function loadTenantAdapter(root: string, file: string): Promise<TenantAdapter> {
  const full = path.resolve(root, file);
  const field = 'tenants.adapter';
  if (!existsSync(full)) throw new BadInputError(`${field}: ${file} does not exist`, { field });
  let loaded: { default?: Partial<TenantAdapter> };
  try {
    loaded = await import(pathToFileURL(full).href);
  } catch (error) {
    throw new BadInputError(`${field}: ${file} does not load: ${(error as Error).message}`, { field, cause: error });
  }
  const adapter = loaded.default;
  const missing = (['seed', 'fingerprint', 'remove'] as const).filter((f) => typeof adapter?.[f] !== 'function');
  if (!adapter || missing.length > 0) {
    throw new BadInputError(`${field}: ${file}'s default export lacks ${missing.join(', ')} (see TenantAdapter)`, {
      field,
    });
  }
  return adapter as TenantAdapter;
}

/**
 * The adapter contract, against a live platform: what `seed` returns is usable by the load (at least ten
 * consumers named `organization.project.user`, unique, with keys, prefixed when asked, priced, one meant to be
 * served), the keys work at the gateway as each consumer is meant to be answered, the fingerprint is stable and
 * holds no secret, and after `remove` no seeded key is served any more. Returns the problems (empty: it holds).
 */
export async function checkTenantAdapter(
  adapter: TenantAdapter,
  ctx: TenantAdapterContext,
  gateway: (consumer: AdapterConsumer) => Promise<number>,
  /** configuration reaches the gateways "normally within seconds": how long a key may take to work, or to stop. */
  settleMs = 20_000,
): Promise<string[]> {
  /** The status the consumer's key gets once it is `wanted`, or the last one seen at the deadline. */
  const settled = async (c: AdapterConsumer, wanted: (status: number) => boolean): Promise<number> => {
    let last = 0;
    const reached = async () => {
      last = await gateway(c);
      return wanted(last);
    };
    await waitFor(`${c.consumer} at the gateway`, reached, settleMs).catch(() => undefined);
    return last;
  };
  const problems: string[] = [];
  const tenants = await adapter.seed(ctx);
  const { consumers, prices } = tenants;
  if (consumers.length < 10) problems.push(`seed: ${consumers.length} consumers, a certification needs at least 10`);
  if (new Set(consumers.map((c) => c.consumer)).size !== consumers.length) problems.push('seed: consumers repeat');
  for (const c of consumers) {
    if (!/^[^.\s]+\.[^.\s]+\.[^.\s]+$/.test(c.consumer)) problems.push(`seed: ${c.consumer} is not org.project.user`);
    if (!c.key) problems.push(`seed: ${c.consumer} has no key`);
    if (!prices[c.model]) problems.push(`seed: no price for ${c.consumer}'s model ${c.model}`);
    if (ctx.prefix && !c.consumer.includes(ctx.prefix))
      problems.push(`seed: ${c.consumer} lacks the prefix ${ctx.prefix}`);
  }
  if (!consumers.some((c) => c.expect === 200)) problems.push('seed: no consumer is meant to be served');
  for (const c of consumers) {
    const status = await settled(c, (s) => s === c.expect);
    if (status !== c.expect) problems.push(`gateway: ${c.consumer} got ${status}, meant to get ${c.expect}`);
  }
  const [first, second] = [await adapter.fingerprint(ctx, tenants), await adapter.fingerprint(ctx, tenants)];
  const text = JSON.stringify(first);
  if (text === undefined) problems.push('fingerprint: not JSON');
  else if (text !== JSON.stringify(second)) problems.push('fingerprint: two reads of the same tenants differ');
  for (const c of consumers) if (text?.includes(c.key)) problems.push(`fingerprint: holds ${c.consumer}'s key`);
  await adapter.remove(ctx, tenants);
  for (const c of consumers.filter((c) => c.expect === 200)) {
    const status = await settled(c, (s) => s !== 200);
    if (status === 200) problems.push(`remove: ${c.consumer}'s key is still served after ${settleMs / 1000} s`);
  }
  return problems;
}
