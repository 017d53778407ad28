import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { harnessUrl, platformUrl } from '../../common/addresses.ts';
import { onInterrupt, trackDir } from '../../common/child-registry.ts';
import type { Values } from '../../common/deep-merge.ts';
import { createLogger, type Logger } from '../../common/logger.ts';
import type { EventSink } from '../../common/rollout-event.ts';
import { TeardownStack } from '../../common/teardown-stack.ts';
import { type Clock, Timeline } from '../../common/timeline.ts';
import { startEmbeddedPostgres } from '../../db/embedded-postgres.ts';
import { defaultRoot, type LoadedRelease, loadRelease } from '../../release/catalog.ts';
import type { PlatformEndpoints, PlatformUrls } from '../target.ts';
import { PlatformDatabase } from './database-access.ts';
import { Deployment } from './deployment.ts';
import { FrontDoor } from './front-door.ts';
import { LocalPlatform } from './local-platform-handle.ts';
import { type ArtifactCheck, planRelease, workloadNames } from './release-plan.ts';
import { renderConfig, renderedValues, type ServiceUrls, writeConfigFile } from './render-config.ts';
import { rollingUpdate } from './rollout.ts';
import { generateSecrets, writeSecretFiles } from './secrets.ts';
import type { WorkloadName } from './workload-settings.ts';

export interface LocalPlatformOptions {
  /** A release name (`v1.7.0`, `v1.8.0-stream-cut`) or a loaded release. */
  release: string | LoadedRelease;
  /** Repository root (release manifests, chart, bundles); default: this checkout. */
  root?: string;
  /** `global.highAvailability: true` (2 replicas each unless the values say otherwise). Default false. */
  highAvailability?: boolean;
  /** Values applied after the chart's, the release's and the files' (programmatic `--set`). */
  values?: Values;
  /** User values files (`-f`), in order. */
  valuesFiles?: string[];
  /** Endpoint removal lands this long after SIGTERM or readiness loss. Default 1000. */
  endpointPropagationMs?: number;
  /** `strict` (default): every bundle's sha256 must equal the manifest's. */
  artifactCheck?: ArtifactCheck;
  log?: Logger;
  /** Timestamps of rollout events (the ledger's clock). */
  clock?: Clock;
  /** Every rollout event of the platform's life: install, upgrades, rollbacks, restarts. */
  onEvent?: EventSink;
  /** Parent of the run's temp dir (default: the OS temp dir). */
  workDir?: string;
  timeouts?: { installSeconds?: number; progressDeadlineSeconds?: number };
  /** Fixed front-door ports by service (`local.ports`); unset ones take any free port. */
  ports?: Partial<Record<'gateway' | 'controlPlane' | 'console' | 'identity', number>>;
}

export { LocalPlatform };

/** Front doors by endpoint name: the Services of the platform. */
const serviceOf: Record<keyof PlatformEndpoints, WorkloadName> = {
  gateway: 'gateway',
  controlPlane: 'control-plane',
  console: 'console',
  identity: 'identity',
  providerMock: 'provider-mock',
};

/** The `local.ports` key of each workload that has one (provider-mock is no Service of the product). */
const portKeyOf: Partial<Record<WorkloadName, keyof NonNullable<LocalPlatformOptions['ports']>>> = {
  gateway: 'gateway',
  'control-plane': 'controlPlane',
  console: 'console',
  identity: 'identity',
};

/**
 * Installs a release as local processes (DESIGN.md "Targets: local"): embedded PostgreSQL, one front door
 * per Service, then every Deployment at once (like `helm install`), waiting until every replica is ready.
 * On failure everything started is stopped and the original error is thrown.
 */
export async function startLocalPlatform(opts: LocalPlatformOptions): Promise<LocalPlatform> {
  const log = opts.log ?? createLogger('local');
  const root = opts.root ?? defaultRoot;
  const release = typeof opts.release === 'string' ? loadRelease(opts.release, root) : opts.release;
  const timeline = new Timeline(opts.clock);
  if (opts.onEvent) timeline.subscribe(opts.onEvent);
  const stack = new TeardownStack(log);
  const unregister = onInterrupt(() => stack.dispose(new Error('interrupted')));
  const sources = { root, highAvailability: opts.highAvailability, valuesFiles: opts.valuesFiles, values: opts.values };
  const artifactCheck = opts.artifactCheck ?? 'strict';
  try {
    const plan = await planRelease(release, sources, artifactCheck);
    const weights = workloadNames.map(
      (w) => `${w} ${plan.settings[w].cpuRequestMilli ?? 0}m → nice ${plan.settings[w].nice}`,
    );
    log.info(`CPU weights from the chart's requests (as kubelet's shares; cpu-weight.ts): ${weights.join(', ')}`);
    const runDir = await mkdtemp(path.join(opts.workDir ?? os.tmpdir(), 'upcert-local-'));
    const releaseDir = trackDir(runDir);
    stack.push('remove run dir', async () => {
      await rm(runDir, { recursive: true, force: true, maxRetries: 3 });
      releaseDir();
    });
    const logsDir = path.join(runDir, 'logs');
    const configDir = path.join(runDir, 'config');
    await mkdir(logsDir);
    await mkdir(configDir);
    const secrets = generateSecrets();
    const secretFiles = await writeSecretFiles(runDir, secrets);
    const pgValues = renderedValues(plan.values).postgresql;
    const db = await startEmbeddedPostgres({
      databasePassword: secrets.databasePassword,
      database: pgValues.database,
      user: pgValues.user,
      logFile: path.join(logsDir, 'postgres.log'),
      log: log.child('postgres'),
    });
    stack.push('stop PostgreSQL', () => db.stop());
    db.onUnexpectedExit(({ code, signal }) =>
      timeline.emit('replica-exited', 'postgresql', 'postgresql-0', 'embedded', { code, signal, unexpected: true }),
    );
    const database = new PlatformDatabase({
      ...pgValues,
      host: db.host,
      port: db.port,
      password: secrets.databasePassword,
    });
    stack.push('close database pool', () => database.close());

    const doors = {} as Record<WorkloadName, FrontDoor>;
    stack.push('close front doors', async () => {
      await Promise.all(Object.values(doors).map((d) => d.close()));
    });
    for (const w of workloadNames) {
      const key = portKeyOf[w];
      const port = key ? opts.ports?.[key] : undefined;
      doors[w] = await FrontDoor.open(w, port ?? 0, key ? `local.ports.${key}` : undefined);
    }
    const endpoints = Object.fromEntries(
      Object.entries(serviceOf).map(([key, w]) => [key, harnessUrl(doors[w].url)]),
    ) as unknown as PlatformEndpoints;
    const services: ServiceUrls = endpoints;
    // Local replicas are processes on the harness's own machine: the front doors are both kinds of address.
    const platformUrls: PlatformUrls = { providerMock: platformUrl(doors['provider-mock'].url) };

    const deployments = {} as Record<WorkloadName, Deployment>;
    for (const w of workloadNames) {
      deployments[w] = new Deployment({
        name: w,
        door: doors[w],
        timeline,
        endpointPropagationMs: opts.endpointPropagationMs ?? 1000,
        configFile: path.join(configDir, `${w}.json`),
        secretsFile: secretFiles.json,
        logsDir,
      });
    }
    stack.push('stop replicas', async () => {
      await Promise.all(Object.values(deployments).map((d) => d.stop()));
    });
    for (const w of workloadNames) {
      await writeConfigFile(configDir, w, renderConfig(w, plan.values, services, { host: db.host, port: db.port }));
    }
    log.info(`installing ${release.name}`, { runDir, ha: Boolean(opts.highAvailability), ...endpoints });
    const installMs = (opts.timeouts?.installSeconds ?? 120) * 1000;
    const rollouts = workloadNames.map((w) =>
      rollingUpdate(
        deployments[w],
        {
          number: 1,
          version: plan.versions[w],
          bundle: plan.bundles[w],
          settings: plan.settings[w],
        },
        { progressDeadlineMs: installMs, failOnCrash: true },
      ),
    );
    for (const r of rollouts) r.catch(() => undefined); // the first failure is thrown below; the rest are stopped
    await Promise.all(rollouts);
    log.info(`installed ${release.name}`);
    return new LocalPlatform({
      plan,
      sources,
      artifactCheck,
      timeline,
      endpoints,
      platformUrls,
      secrets,
      database,
      deployments,
      runDir,
      configDir,
      dbAddress: { host: db.host, port: db.port },
      progressDeadlineMs: (opts.timeouts?.progressDeadlineSeconds ?? 90) * 1000,
      stack,
      unregister,
      log,
    });
  } catch (error) {
    log.error(`install of ${release.name} failed; stopping what was started`);
    await stack.dispose(error);
    unregister();
    throw error;
  }
}
