import { buildPlatform } from '../../fixtures/platform/build.ts';
import { createLogger } from '../common/logger.ts';
import { loadRelease } from '../release/catalog.ts';
import { startLocalPlatform } from '../targets/local/index.ts';

const log = createLogger('platform');

export interface PlatformUpOptions {
  version: string;
  ha?: boolean;
  values?: string[];
  artifactCheck: 'strict' | 'off';
  endpointPropagationMs?: number;
}

/**
 * `upcert platform up --version R`: builds the bundles when needed, runs release R in the foreground on
 * the local target, prints one JSON line (front-door URLs and the admin token) on stdout, and stops it
 * all on Ctrl-C / SIGTERM (exit 130; the local target's process-wide cleanup does the stopping).
 */
export async function platformUp(opts: PlatformUpOptions): Promise<never> {
  const release = loadRelease(opts.version); // unknown → BadInputError listing the known releases
  const build = await buildPlatform({
    releases: [release.name],
    log: (level, message) => (level === 'warn' ? log.warn(message) : log.debug(message)),
  });
  if (build.missing.length > 0) log.warn(`built without: ${build.missing.join(', ')}`);
  const platform = await startLocalPlatform({
    release,
    highAvailability: opts.ha ?? false,
    valuesFiles: opts.values ?? [],
    artifactCheck: opts.artifactCheck,
    endpointPropagationMs: opts.endpointPropagationMs,
    log: createLogger('local'),
  });
  const line = {
    version: release.name,
    gateway: platform.endpoints.gateway,
    controlPlane: platform.endpoints.controlPlane,
    console: platform.endpoints.console,
    identity: platform.endpoints.identity,
    adminToken: platform.secrets.adminToken,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  log.info(`${release.name} is up (Ctrl-C stops it)`, { runDir: platform.runDir });
  // Runs until SIGINT/SIGTERM: the front doors keep the event loop alive and the local target's
  // interrupt handler disposes the platform, then exits 130.
  return new Promise<never>(() => undefined);
}
