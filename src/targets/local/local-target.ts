import type { PlatformProfile } from '../../platform/profile.ts';
import { type AnyRelease, chartRelease } from '../../release/catalog.ts';
import type { InstalledPlatform, InstallOptions, Target } from '../target.ts';
import { type LocalPlatformOptions, startLocalPlatform } from './local-platform.ts';

/** The local target: every replica an OS process, PostgreSQL embedded (DESIGN.md "Targets"). */
export class LocalTarget implements Target {
  readonly name = 'local' as const;

  constructor(
    private readonly opts: Omit<LocalPlatformOptions, 'release'> & {
      profile?: PlatformProfile;
      /** Releases a packaged platform installs before it starts (the one the run upgrades to). */
      prepare?: readonly AnyRelease[];
    } = {},
  ) {}

  /**
   * `install.timeline` receives the install's events only, as on the Kubernetes targets: `upgrade` and
   * `rollback` take their own sink (the constructor's `onEvent` hears the platform's whole life).
   */
  async install(release: AnyRelease, install: InstallOptions = {}): Promise<InstalledPlatform> {
    const own = this.opts.onEvent;
    let installing = true;
    const onEvent = (e: Parameters<NonNullable<typeof own>>[0]) => {
      own?.(e);
      if (installing) install.timeline?.(e);
    };
    const { profile } = this.opts;
    const platform =
      profile && profile.install !== 'chart'
        ? await (await import('./packaged-platform.ts')).PackagedPlatform.start({
            ...this.opts,
            profile,
            release,
            onEvent,
          })
        : await startLocalPlatform({ ...this.opts, release: chartRelease(release), onEvent });
    installing = false;
    return platform;
  }
}
