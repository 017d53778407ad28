import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { EnvironmentError } from '../common/errors.ts';
import { canInstallDebianPackages, installDebianPackages } from '../config/debian-packages.ts';

const debianChromium = '/usr/bin/chromium';
const installCommand = 'apt-get install -y chromium';

export interface FoundBrowser {
  executablePath: string;
  source: 'configured' | 'playwright' | 'system';
}

function playwrightChromium(): string | undefined {
  try {
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** The browser, in this order: the configured path, Playwright's own Chromium, Debian's /usr/bin/chromium. */
export function findBrowser(configured?: string): FoundBrowser | undefined {
  if (configured) {
    if (!existsSync(configured)) {
      throw new EnvironmentError(`browser: configured executable not found: ${configured} (browser.executablePath)`, {
        fix: `set browser.executablePath to an existing Chromium, or ${installCommand}`,
      });
    }
    return { executablePath: configured, source: 'configured' };
  }
  const own = playwrightChromium();
  if (own) return { executablePath: own, source: 'playwright' };
  if (existsSync(debianChromium)) return { executablePath: debianChromium, source: 'system' };
  return undefined;
}

/**
 * Finds a browser, or gets Debian's chromium when running as root on Debian (saying so); otherwise an
 * EnvironmentError (exit 3) with the exact command to run.
 */
export async function ensureBrowser(configured?: string): Promise<FoundBrowser> {
  const found = findBrowser(configured);
  if (found) return found;
  if (canInstallDebianPackages()) {
    await installDebianPackages(['chromium'], 'no browser found for the console sign-in check');
    const installed = findBrowser();
    if (installed) return installed;
  }
  throw new EnvironmentError("browser: no Chromium found (configured path, Playwright's Chromium, /usr/bin/chromium)", {
    fix: `sudo ${installCommand}`,
  });
}

/** Chromium's flags on these machines: headless, and quiet on a closed network. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
