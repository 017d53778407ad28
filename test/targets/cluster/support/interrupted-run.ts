/**
 * The child of the Ctrl-C test: a cluster run on the captured-cluster MOCK (every helm/kubectl invocation
 * appended to UPCERT_TEST_COMMANDS) with seeded tenants (ids under the run prefix) whose control plane is the
 * test's stand-in (UPCERT_TEST_CONTROL_PLANE). It makes the hand edit, registers the journey's Ctrl-C cleanup
 * exactly as `Certification` does, says `ready` and waits to be interrupted.
 */

import { RunState } from '../../../../src/checks/run-state.ts';
import { onInterrupt } from '../../../../src/common/child-registry.ts';
import { upcertConfigSchema } from '../../../../src/config/schema.ts';
import { leaveNothingBehind } from '../../../../src/journey/leave-nothing.ts';
import { loadPlatform } from '../../../../src/platform/profile.ts';
import { loadRelease } from '../../../../src/release/catalog.ts';
import type { SeededTenants } from '../../../../src/seed/seeded.ts';
import { plannedRunner } from '../../../../src/targets/cluster/planned-runner.ts';
import { targetProvider } from '../../../../src/targets/providers.ts';
import { capturedCluster } from './captured-cluster.ts';
import { clusterPlatform, planOf } from './cluster-platform.ts';

const commands = process.env.UPCERT_TEST_COMMANDS!;
const controlPlaneUrl = process.env.UPCERT_TEST_CONTROL_PLANE!;
const config = upcertConfigSchema.parse({ target: 'cluster', context: 'staging' });
const provider = targetProvider('cluster');
const run = new RunState(
  config,
  loadRelease('v1.7.0'),
  loadRelease('v1.8.0'),
  'interrupted-run',
  '/nonexistent',
  provider,
  loadPlatform('reference'),
);
const cluster = capturedCluster({ logFile: commands });
run.platform = clusterPlatform(plannedRunner(planOf().writes, cluster.run), { controlPlaneUrl });
const ids = (kind: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `uc1a2b3c-${kind}-${i}` }));
run.seeded = {
  version: 'v1.7.0',
  prefix: 'uc1a2b3c',
  records: {
    organizations: ids('org', 1),
    projects: ids('proj', 1),
    groups: ids('grp', 1),
    users: ids('user', 2).map((u) => ({ ...u, consumer: u.id })),
    keys: ids('key', 2),
    providers: ids('prov', 1),
    routes: ids('route', 1),
    budgets: ids('bud', 1),
    guardrails: ids('guard', 1),
  },
} as unknown as SeededTenants;
onInterrupt(() => leaveNothingBehind(run));
const platform = run.platform as ReturnType<typeof clusterPlatform>;
await platform.editLive({ component: 'gateway', path: 'gateway.responseTag', value: 'hand-edit-interrupted' });
process.stdout.write('ready\n');
setInterval(() => {}, 1000);
