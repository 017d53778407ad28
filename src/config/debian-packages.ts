import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { createLogger } from '../common/logger.ts';

const log = createLogger('setup');

/** True when this process may install Debian packages itself: root on Debian. */
export function canInstallDebianPackages(): boolean {
  try {
    return process.getuid?.() === 0 && /^ID=debian$/m.test(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Installs Debian packages with apt-get, saying what and why; refreshes the package lists once when the first
 * attempt fails. Bounded: 10 minutes.
 */
export async function installDebianPackages(packages: string[], why: string): Promise<void> {
  log.info(`installing Debian's ${packages.join(', ')} (${why}): apt-get install -y ${packages.join(' ')}`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => execa('apt-get', ['install', '-y', '-qq', ...packages], { env, timeout: 600_000 });
  try {
    await install();
  } catch {
    await execa('apt-get', ['update', '-qq'], { timeout: 300_000 });
    await install();
  }
}
