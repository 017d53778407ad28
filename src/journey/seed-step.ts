import { apiOf, fingerprints, queryable } from '../checks/evidence/tenant-data.ts';
import type { RunState } from '../checks/run-state.ts';
import { withinDeadline } from '../common/deadline.ts';
import { StepFailedError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { waitFor } from '../common/wait-for.ts';
import { probeGateway } from '../load/probe.ts';
import { type AdapterTenants, loadTenantAdapter, type TenantAdapterContext } from '../platform/tenant-adapter.ts';
import { defaultRoot } from '../release/catalog.ts';
import { deleteTenants, seedTenants } from '../seed/index.ts';
import { adapterTraffic, profileTraffic } from '../seed/profile-traffic.ts';
import { safetyLimitsOf } from '../targets/safety.ts';

const log = createLogger('seed');

/** Step 3: seed the tenants release N knows, then fingerprint them from the API and the database. */
export async function seedAndSnapshot(run: RunState): Promise<void> {
  const platform = run.requirePlatform();
  const noApi = run.unsupported['tenant-api'];
  const adapterFile = run.profile.tenants?.adapter;
  if (noApi && adapterFile) {
    await seedThroughAdapter(run, adapterFile);
    return;
  }
  if (noApi) {
    run.seeded = profileTraffic(run.profile, run.from.version, platform.platformUrls.providerMock);
    run.timeline.mark(
      'seeded',
      `nothing to seed (${noApi}); the load speaks for ${run.seeded.load.length} consumer(s) of the platform's profile`,
    );
    log.info(`no tenants seeded: ${noApi}`);
    return;
  }
  const db = queryable(platform);
  const seeding = seedTenants({
    api: apiOf(run),
    version: run.from.version,
    db,
    providerMockUrl: platform.platformUrls.providerMock,
    // a shared cluster: every id carries the run's prefix, and the run deletes its tenants afterwards
    prefix: safetyLimitsOf(platform)?.tenantPrefix,
  });
  const { seedSeconds } = run.config.timeouts;
  run.seeded = await withinDeadline('seed the tenants', seedSeconds * 1000, 'timeouts.seedSeconds', seeding);
  await keysMustReachGateways(run);
  run.before = await fingerprints(run);
  run.timeline.mark('seeded', `${run.seeded.records.users.length} consumers`);
}

/**
 * A platform whose configuration API upcert does not speak, with a tenant adapter (src/platform/tenant-adapter.ts):
 * the adapter creates the tenants, the load speaks for its consumers, and the run removes them at its end.
 */
async function seedThroughAdapter(run: RunState, file: string): Promise<void> {
  const platform = run.requirePlatform();
  const adapter = await loadTenantAdapter(defaultRoot, file);
  const ctx: TenantAdapterContext = {
    apiUrl: platform.endpoints.controlPlane,
    adminToken: platform.secrets.adminToken,
    providerMockUrl: platform.platformUrls.providerMock,
    version: run.from.version,
    prefix: safetyLimitsOf(platform)?.tenantPrefix,
    timeoutMs: run.config.timeouts.requestMs,
  };
  const { seedSeconds } = run.config.timeouts;
  const seeding = adapter.seed(ctx);
  const removeLater = (tenants: AdapterTenants) =>
    adapter
      .remove(ctx, tenants)
      .catch((e: unknown) => log.error(`the tenant adapter could not remove its tenants: ${(e as Error).message}`));
  let tenants: AdapterTenants;
  try {
    tenants = await withinDeadline(
      'seed through the tenant adapter',
      seedSeconds * 1000,
      'timeouts.seedSeconds',
      seeding,
    );
  } catch (error) {
    // past its deadline: if the seed still ends, what it made is removed (a seed that fails undoes its own part)
    void seeding.then(removeLater, () => undefined);
    throw error;
  }
  if (run.signal.aborted) {
    // interrupted while seeding: the teardown has run already and found nothing to remove
    await removeLater(tenants);
    throw new StepFailedError('seed through the tenant adapter: interrupted');
  }
  run.tenantAdapter = { adapter, ctx, tenants };
  run.seeded = adapterTraffic(run.profile, run.from.version, ctx.providerMockUrl, tenants);
  await keysMustReachGateways(run);
  run.timeline.mark('seeded', `${tenants.consumers.length} consumers through the tenant adapter ${file}`);
}

/**
 * Configuration reaches the gateways "normally within seconds" (the product's words): wait, bounded, until
 * every seeded key authenticates on the gateway, twice in a row (so every replica has it).
 */
async function keysMustReachGateways(run: RunState): Promise<void> {
  const seeded = run.requireSeeded();
  const gateway = run.requirePlatform().endpoints.gateway;
  let rounds = 0;
  // the reference API's keys, or those of the consumers a tenant adapter returned
  const known: { consumer: string; secret: string; headers?: Readonly<Record<string, string>> }[] = Object.values(
    seeded.keys,
  ).map((k) => ({ consumer: k.consumer, secret: k.secret }));
  const keys =
    known.length > 0 ? known : seeded.load.map((c) => ({ consumer: c.consumer, secret: c.key, headers: c.headers }));
  await waitFor(
    'every seeded key to authenticate on the gateway',
    async () => {
      for (const key of keys) {
        const who = {
          consumer: key.consumer,
          key: key.secret,
          model: '',
          prompt: '',
          headers: key.headers,
        };
        const answer = await probeGateway(gateway, who, {
          prices: seeded.prices,
          path: '/v1/models',
          timeoutMs: run.config.timeouts.requestMs,
        });
        if (answer.status !== 200) {
          rounds = 0;
          return false;
        }
      }
      rounds++;
      return rounds >= 2;
    },
    run.config.timeouts.settleConditionSeconds * 1000,
  );
}

/** On a shared cluster the run's own tenants (ids with its prefix) are deleted at the end; errors are logged. */
export async function removeRunTenants(run: RunState): Promise<void> {
  const adapted = run.tenantAdapter;
  if (adapted) {
    run.tenantAdapter = undefined;
    await adapted.adapter.remove(adapted.ctx, adapted.tenants).then(
      () => log.info('removed the tenants the tenant adapter created'),
      (error: unknown) => log.error(`the tenant adapter could not remove its tenants: ${(error as Error).message}`),
    );
    return;
  }
  const platform = run.platform;
  if (!platform || !run.seeded?.prefix) return;
  try {
    await deleteTenants({ api: apiOf(run), seeded: run.seeded, db: queryable(platform) });
    log.info(`deleted the run's tenants (prefix ${run.seeded.prefix})`);
  } catch (error) {
    log.error(`could not delete the run's tenants (prefix ${run.seeded.prefix}): ${(error as Error).message}`);
  }
}
