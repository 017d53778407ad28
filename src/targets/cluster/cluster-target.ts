import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type CommandRunner, execaRunner } from '../../common/command.ts';
import { isPlainObject } from '../../common/deep-merge.ts';
import { BadInputError } from '../../common/errors.ts';
import { createLogger, type Logger, redact } from '../../common/logger.ts';
import { TeardownStack } from '../../common/teardown-stack.ts';
import { type Clock, defaultClock } from '../../common/timeline.ts';
import { toolSearchPath } from '../../common/tool-path.ts';
import { defaultTimeouts, type Timeouts } from '../../config/schema.ts';
import { defaultRoot, type LoadedRelease } from '../../release/catalog.ts';
import { kubeValues, writeSecretsValuesFile, writeValuesFile } from '../../release/release-values.ts';
import { connectPlatform } from '../kube/connect.ts';
import { type ConflictPolicy, Helm } from '../kube/helm.ts';
import type { KubePlatform } from '../kube/kube-platform.ts';
import { Kubectl } from '../kube/kubectl.ts';
import { requireTools } from '../kube/tools.ts';
import { renderedValues } from '../local/render-config.ts';
import type { InstallOptions, Target } from '../target.ts';
import { type ClusterSafety, clusterLimits, installedReleaseMustBe } from './guards.ts';

export interface ClusterTargetOptions extends ClusterSafety {
  /** kubeconfig context (`--context`); required: a run never guesses which cluster to touch. */
  context: string;
  namespace?: string;
  releaseName?: string;
  /** The user's values files, the secrets values file among them (the release's own secrets). */
  valuesFiles: string[];
  highAvailability?: boolean;
  conflictPolicy?: ConflictPolicy;
  root?: string;
  clock?: Clock;
  log?: Logger;
  /** Every deadline (`timeouts` of the configuration); default: the configuration's defaults. */
  timeouts?: Timeouts;
  run?: CommandRunner;
}

interface UserSecrets {
  adminToken: string;
  adminPassword: string;
  databasePassword: string;
}

function secretsOf(values: Record<string, unknown>): UserSecrets {
  const s = values.secrets;
  const pick = (k: keyof UserSecrets) => (isPlainObject(s) && typeof s[k] === 'string' ? (s[k] as string) : undefined);
  const out = {
    adminToken: pick('adminToken'),
    adminPassword: pick('adminPassword'),
    databasePassword: pick('databasePassword'),
  };
  const missing = Object.entries(out)
    .filter(([, v]) => !v)
    .map(([k]) => `secrets.${k}`);
  if (missing.length > 0) {
    throw new BadInputError(
      `-f: the cluster target needs the release's secrets values file (missing ${missing.join(', ')})`,
      {
        field: '-f',
      },
    );
  }
  for (const v of Object.values(out)) redact(v);
  return out as UserSecrets;
}

/**
 * An existing cluster (DESIGN.md "Targets: cluster"): nothing is installed; the run starts only when the
 * installed release is `--from` (else exit 2), upgrades it with `helm upgrade`, and is non-destructive by
 * default: rollback and restore are refused unless `--allow-destructive`, the load rate is capped, and the
 * journey seeds tenants under the run prefix and deletes them afterwards (`limits`).
 */
export class ClusterTarget implements Target {
  readonly name = 'cluster' as const;
  constructor(private readonly opts: ClusterTargetOptions) {}

  async install(release: LoadedRelease, install: InstallOptions = {}): Promise<KubePlatform> {
    const o = this.opts;
    const root = o.root ?? defaultRoot;
    const run = o.run ?? execaRunner;
    const log = o.log ?? createLogger('cluster');
    const namespace = o.namespace ?? 'upcert-platform';
    requireTools('cluster', toolSearchPath(process.env.PATH));
    const timeouts = o.timeouts ?? defaultTimeouts;
    const helm = new Helm(
      { name: o.releaseName ?? 'upcert-platform', namespace, context: o.context },
      run,
      timeouts.kubeCommandSeconds,
    );
    const where = `context ${o.context}, namespace ${namespace}, release ${helm.release.name}`;
    installedReleaseMustBe(release, await helm.deployedValues(), where);
    const ha = o.highAvailability ?? true;
    const base = await kubeValues({
      root,
      release,
      highAvailability: ha,
      valuesFiles: o.valuesFiles,
      pinDigests: true,
    });
    const secrets = secretsOf(base);
    const pg = renderedValues(base).postgresql;
    const stack = new TeardownStack(log);
    try {
      const workDir = await mkdtemp(path.join(os.tmpdir(), 'upcert-cluster-'));
      stack.push('remove work dir', () => rm(workDir, { recursive: true, force: true }));
      const secretsFile = await writeSecretsValuesFile(workDir, base.secrets);
      const { rolloutSeconds } = timeouts;
      const prepare = async (r: LoadedRelease) => {
        const values = await kubeValues({
          root,
          release: r,
          highAvailability: ha,
          valuesFiles: o.valuesFiles,
          pinDigests: true,
        });
        const chart =
          r.chart.oci ?? (await helm.package(path.resolve(root, r.chart.path ?? ''), r.chart.version, workDir));
        return {
          chart,
          chartVersion: r.chart.oci ? r.chart.version : undefined,
          valuesFiles: [await writeValuesFile(workDir, r.name, values), secretsFile],
          timeoutSeconds: rolloutSeconds,
        };
      };
      return await connectPlatform({
        target: 'cluster',
        root,
        release,
        context: o.context,
        helm,
        kubectl: new Kubectl(namespace, o.context, run, timeouts.kubeCommandSeconds * 1000),
        secrets,
        postgresql: { database: pg.database, user: pg.user },
        prepare,
        imageAliases: async () => new Map(),
        // ownership, not force: only fields upcert's own manager owns are overridden (kind keeps `force`)
        conflictPolicy: o.conflictPolicy ?? 'fail',
        limits: clusterLimits(o),
        clock: o.clock ?? defaultClock,
        stack,
        log,
        timeline: install.timeline,
        readyTimeoutMs: timeouts.endpointsReadySeconds * 1000,
        tunnelTimeoutMs: timeouts.tunnelSeconds * 1000,
      });
    } catch (error) {
      await stack.dispose(error);
      throw error;
    }
  }
}
