import { ensureBrowser, type FoundBrowser } from '../../browser/find-browser.ts';
import { loadProfile, signInProfileOf } from '../../browser/profile.ts';
import { createLogger } from '../../common/logger.ts';
import type { UpcertConfig } from '../../config/schema.ts';
import { loadPlatform } from '../../platform/profile.ts';
import { selection } from '../registry.ts';

const log = createLogger('browser');

/**
 * What console-sign-in needs, known before anything starts: its product profile (bad input, exit 2) and a
 * browser (found, got on Debian as root, or exit 3 with the command). Nothing when the check is not selected.
 */
export async function consoleSignInPreflight(config: UpcertConfig): Promise<FoundBrowser | undefined> {
  if (selection('console-sign-in', config.only, config.skip)) return undefined;
  const profile = loadProfile(signInProfileOf(config.browser, loadPlatform(config.platform)));
  const browser = await ensureBrowser(config.browser.executablePath);
  log.info(`console sign-in: profile ${profile.name}${profile.tested ? '' : ' (untested)'}, ${browser.executablePath}`);
  return browser;
}
