import type { LoadedRelease } from '../../release/catalog.ts';
import type { InstallOptions, Target } from '../target.ts';
import { type LocalPlatform, type LocalPlatformOptions, startLocalPlatform } from './local-platform.ts';

/** The local target: every replica an OS process, PostgreSQL embedded (DESIGN.md "Targets"). */
export class LocalTarget implements Target {
  readonly name = 'local' as const;

  constructor(private readonly opts: Omit<LocalPlatformOptions, 'release'> = {}) {}

  install(release: LoadedRelease, install: InstallOptions = {}): Promise<LocalPlatform> {
    const onEvent = install.timeline;
    const own = this.opts.onEvent;
    return startLocalPlatform({
      ...this.opts,
      release,
      onEvent:
        onEvent && own
          ? (e) => {
              own(e);
              onEvent(e);
            }
          : (onEvent ?? own),
    });
  }
}
