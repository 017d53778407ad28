import { checksFor, selection } from '../checks/registry.ts';
import type { PhaseProbes, RunState } from '../checks/run-state.ts';
import { probeGateway } from '../load/probe.ts';
import type { CheckId, Phase } from '../release/manifest.ts';
import { knowsConnectionReplicas } from '../targets/target.ts';
import { probeConsumer } from './consumers.ts';
import { type HandEditSettingId, handEditSettings } from './hand-edit-settings.ts';
import { functionalProbes, type PreservedKind } from './preservation-probes.ts';

type Attempt<T> = T | { error: string };

async function attempt<T>(probe: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return await probe();
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * How a probe's answer is attributed when the platform names no version (its profile's `versionSignal:
 * front-door`): the replica the local front door bound the connection to, and that replica's version.
 */
function frontDoorOf(run: RunState): ((port: number) => { replica: string; version: string } | undefined) | undefined {
  const platform = run.requirePlatform();
  if (run.profile.gateway.versionSignal !== 'front-door' || !knowsConnectionReplicas(platform)) return undefined;
  return (port) => {
    const replica = platform.gatewayReplicaOf(port);
    const version = replica === undefined ? undefined : platform.versionOfReplica(replica);
    return replica === undefined || version === undefined ? undefined : { replica, version };
  };
}

/**
 * After a phase's steps, before its checks: the requests through the gateway that its checks judge (a smoke
 * request, a body between the hand-edited and the chart's limit, the preserved records' functional probes),
 * each written to the phase's ledger, so that every check's gathering only reads. Never throws: a probe that
 * cannot be sent records why, and the check that needs it says so.
 */
export async function probeAfterPhase(run: RunState, phase: Phase): Promise<void> {
  if (phase === 'rollback' && run.rollbackRefused) return;
  const ledger = run.ledger(phase);
  const probes: PhaseProbes = { loadRows: ledger.size, functional: {} };
  run.probes.set(phase, probes);
  const ids = new Set(checksFor(phase).map((c) => c.id));
  const wanted = (id: CheckId) => ids.has(id) && !selection(id, run.config.only, run.config.skip);
  const common = () => ({ prices: run.requireSeeded().prices, timeoutMs: run.config.timeouts.requestMs, ledger });
  const gateway = () => run.requirePlatform().endpoints.gateway;
  for (const kind of ['consumers', 'providers', 'guardrails'] as const satisfies readonly PreservedKind[]) {
    if (wanted(`${kind}-preserved`)) probes.functional[kind] = await attempt(() => functionalProbes(run, kind, phase));
  }
  const edit = run.handEdit;
  if (wanted('hand-edits-reconciled') && edit && phase !== 'install') {
    const setting = handEditSettings[edit.id as HandEditSettingId];
    probes.handEdit = await attempt(() => setting.showsEdit(run, edit.editedValue, phase));
  }
  if (wanted('gateway-smoke') || wanted('rollback-clean')) {
    probes.smoke = await attempt(() => {
      if (!run.seeded) throw new Error('no tenants to smoke-test with');
      return probeGateway(gateway(), probeConsumer(run), { ...common(), expect: 200, attribute: frontDoorOf(run) });
    });
  }
}
