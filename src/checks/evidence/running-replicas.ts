import type { ComponentPin } from '../../release/manifest.ts';
import type { DigestKind } from '../../targets/target.ts';
import type { RunState } from '../run-state.ts';

/** One replica as the target reports it (`/version` locally, the pod's imageID on Kubernetes). */
export interface RunningReplica {
  component: string;
  replica: string;
  version: string;
  digest: string;
  ready: boolean;
}

/** Every replica of the release's components that the platform runs now (provider-mock aside). */
export async function runningReplicas(run: RunState): Promise<RunningReplica[]> {
  const components = await run.requirePlatform().components();
  return components
    .filter((c) => c.name !== 'provider-mock')
    .flatMap((c) =>
      c.replicas.map((r) => ({
        component: c.name,
        replica: r.id,
        version: r.version,
        digest: r.digest ?? '(no answer)',
        ready: r.ready,
      })),
    );
}

/** The digest a replica of `pin` must report, in the target's kind. */
export function expectedDigest(pin: ComponentPin, kind: DigestKind): string {
  return kind === 'artifact' ? `sha256:${pin.artifact.sha256}` : (pin.image?.digest ?? '');
}
