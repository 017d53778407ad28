import type { LoadedRelease } from '../../release/catalog.ts';
import type { InstallOptions, Target } from '../target.ts';
import { type LocalPlatform, type LocalPlatformOptions, startLocalPlatform } from './local-platform.ts';

/** The local target: every replica an OS process, PostgreSQL embedded (DESIGN.md "Targets"). */
export class LocalTarget implements Target {
  readonly name = 'local' as const;

  constructor(private readonly opts: Omit<LocalPlatformOptions, 'release'> = {}) {}

  /**
   * `install.timeline` receives the install's events only, as on the Kubernetes targets: `upgrade` and
   * `rollback` take their own sink (the constructor's `onEvent` hears the platform's whole life).
   */
  async install(release: LoadedRelease, install: InstallOptions = {}): Promise<LocalPlatform> {
    const own = this.opts.onEvent;
    let installing = true;
    const platform = await startLocalPlatform({
      ...this.opts,
      release,
      onEvent: (e) => {
        own?.(e);
        if (installing) install.timeline?.(e);
      },
    });
    installing = false;
    return platform;
  }
}
