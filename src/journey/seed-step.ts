import { apiOf, fingerprints, queryable } from '../checks/evidence/tenant-data.ts';
import type { RunState } from '../checks/run-state.ts';
import { withinDeadline } from '../common/deadline.ts';
import { createLogger } from '../common/logger.ts';
import { waitFor } from '../common/wait-for.ts';
import { probeGateway } from '../load/probe.ts';
import { deleteTenants, seedTenants } from '../seed/index.ts';
import { profileTraffic } from '../seed/profile-traffic.ts';
import { safetyLimitsOf } from '../targets/safety.ts';

const log = createLogger('seed');

/** Step 3: seed the tenants release N knows, then fingerprint them from the API and the database. */
export async function seedAndSnapshot(run: RunState): Promise<void> {
  const platform = run.requirePlatform();
  const noApi = run.unsupported['tenant-api'];
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
 * Configuration reaches the gateways "normally within seconds" (the product's words): wait, bounded, until
 * every seeded key authenticates on the gateway, twice in a row (so every replica has it).
 */
async function keysMustReachGateways(run: RunState): Promise<void> {
  const seeded = run.requireSeeded();
  const gateway = run.requirePlatform().endpoints.gateway;
  let rounds = 0;
  await waitFor(
    'every seeded key to authenticate on the gateway',
    async () => {
      for (const key of Object.values(seeded.keys)) {
        const who = { consumer: key.consumer, key: key.secret, model: '', prompt: '' };
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
  const platform = run.platform;
  if (!platform || !run.seeded?.prefix) return;
  try {
    await deleteTenants({ api: apiOf(run), seeded: run.seeded, db: queryable(platform) });
    log.info(`deleted the run's tenants (prefix ${run.seeded.prefix})`);
  } catch (error) {
    log.error(`could not delete the run's tenants (prefix ${run.seeded.prefix}): ${(error as Error).message}`);
  }
}
