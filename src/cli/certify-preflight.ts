import { buildPlatform } from '../../fixtures/platform/build.ts';
import { consoleSignInPreflight } from '../checks/console-sign-in/preflight.ts';
import { CommandFailedError } from '../common/command.ts';
import { BadInputError, EnvironmentError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { toolSearchPath } from '../common/tool-path.ts';
import type { UpcertConfig } from '../config/schema.ts';
import { installNpmComponent } from '../platform/npm-install.ts';
import { loadPlatform, type PlatformProfile } from '../platform/profile.ts';
import { chartRelease, defaultRoot, releaseDirsOf } from '../release/catalog.ts';
import { loadReleaseOf, pairMustBeAnUpgrade } from '../release/pair.ts';
import { loadTenantFixture } from '../seed/load-fixture.ts';
import { targetProvider } from '../targets/providers.ts';
import { notSupportedChecks } from './not-supported.ts';
import { reportDirMustBeWritable } from './report-dir.ts';
import { selectionMustLeaveACheck } from './selection.ts';
import { ensurePgTools } from './setup.ts';
import { upgradeMustBeSupported } from './upgrade-support.ts';
import { valuesFilesMustBeUsable } from './values-files.ts';

const log = createLogger('platform');

/** Everything that can be known wrong before anything starts: bad input (2) and a missing tool (3). */
export async function preflight(config: UpcertConfig): Promise<void> {
  selectionMustLeaveACheck(config);
  const platform = loadPlatform(config.platform);
  if (platform.install !== 'chart') return packagedPreflight(config, platform);
  // the reference platform's releases, or another chart platform's from its own directory
  const chart = (flag: string, name: string) => chartRelease(loadReleaseOf(flag, name, undefined, platform));
  const from = chart('--from', config.from);
  const to = chart('--to', config.to);
  const path = [from, ...config.through.map((name) => chart('--through', name)), to];
  for (let i = 1; i < path.length; i++) pairMustBeAnUpgrade(path[i - 1]!, path[i]!);
  upgradeMustBeSupported(config, path, platform);
  if (config.target === 'cluster' && !config.context) {
    throw new BadInputError('--target cluster needs --context <kubeconfig context>', { field: '--context' });
  }
  await valuesFilesMustBeUsable(config);
  if (!platform.unsupported['tenant-api']) await loadTenantFixture();
  await reportDirMustBeWritable(config.reportDir);
  // the target's own: tools and their versions (kind, cluster), the cluster doctor (cluster), front-door
  // ports (local)
  await targetProvider(config.target).preflight(config, path, toolSearchPath(process.env.PATH));
  if (!platform.unsupported['database-backup']) await ensurePgTools();
  if (!platform.unsupported.console) await consoleSignInPreflight(config);
  // this repository's own releases are built here; another chart platform's images come from its registry
  const own = releaseDirsOf(platform.releases) === releaseDirsOf(undefined);
  const build = await buildPlatform({ releases: own ? path.map((r) => r.name) : [] });
  if (build.missing.length > 0) throw new BadInputError(`build: missing platform sources: ${build.missing.join(', ')}`);
}

/**
 * A platform installed from packages (`install: npm`): only the local target runs it (it has no chart or
 * images); what it lacks needs no tool (no PostgreSQL client without a database, no browser without a console);
 * provider-mock's bundle is built.
 */
async function packagedPreflight(config: UpcertConfig, platform: PlatformProfile): Promise<void> {
  if (config.target !== 'local') {
    throw new BadInputError(
      `--platform ${platform.name} installs from npm packages, which only the local target runs (not --target ${config.target})`,
      { field: '--target' },
    );
  }
  const from = loadReleaseOf('--from', config.from, undefined, platform);
  const to = loadReleaseOf('--to', config.to, undefined, platform);
  const path = [from, ...config.through.map((name) => loadReleaseOf('--through', name, undefined, platform)), to];
  for (let i = 1; i < path.length; i++) pairMustBeAnUpgrade(path[i - 1]!, path[i]!);
  upgradeMustBeSupported(config, path, platform);
  for (const release of path) {
    for (const [component, pin] of Object.entries(release.components)) {
      if (!pin?.package || !platform.start?.[component as keyof typeof platform.start]) {
        throw new BadInputError(
          `release ${release.name} (${release.file}): components.${component} needs a package and ${platform.dir}/platform.yaml a start.${component}`,
          { field: `components.${component}` },
        );
      }
    }
  }
  await valuesFilesMustBeUsable(config);
  await reportDirMustBeWritable(config.reportDir);
  // the local target's own (front-door ports); it reads no chart release
  await targetProvider(config.target).preflight(config, [], toolSearchPath(process.env.PATH));
  if (!platform.unsupported['database-backup']) await ensurePgTools();
  if (!platform.unsupported.console) await consoleSignInPreflight(config);
  const build = await buildPlatform({ releases: [] });
  if (build.missing.length > 0) throw new BadInputError(`build: missing platform sources: ${build.missing.join(', ')}`);
  // every release of the path into the project's cache now, said on the console (the registry on first use)
  for (const release of path) {
    for (const pin of Object.values(release.components)) {
      if (!pin?.package) continue;
      await installNpmComponent(
        defaultRoot,
        platform.name,
        { ...pin, package: pin.package },
        {
          log,
          timeoutMs: config.timeouts.installSeconds * 1000,
        },
      ).catch((error: unknown) => {
        if (!(error instanceof CommandFailedError)) throw error;
        // the first line says what failed, npm's own words follow (the registry must be reachable on first use)
        const [first, ...rest] = error.message.split('\n');
        const why = 'the npm registry must be reachable on first use, then the cache is used';
        throw new EnvironmentError([`${first} (${why})`, ...rest].join('\n'), { fix: 'npm ping', cause: error });
      });
    }
  }
}

/** The checks that will be not-supported, said before anything starts (the declarations of target and platform). */
export function announceNotSupported(config: UpcertConfig): void {
  const declared = {
    ...targetProvider(config.target).unsupported(config),
    ...loadPlatform(config.platform).unsupported,
  };
  notSupportedChecks(config, declared);
}
