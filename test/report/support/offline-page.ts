import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs } from '../../../src/browser/find-browser.ts';

export const chromiumPath = '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

/** What a page did when opened with every non-file request refused. */
export interface OfflineVisit {
  consoleErrors: string[];
  blockedRequests: string[];
  evaluate<T>(fn: () => T): Promise<T>;
  hover(selector: string, position?: { x: number; y: number }): Promise<void>;
  screenshot(file: string): Promise<void>;
  screenshotOf(selector: string, file: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens a local HTML file in headless Chromium with the network blocked (only file:// is allowed). */
export async function openOffline(file: string, viewport = { width: 1220, height: 900 }): Promise<OfflineVisit> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: chromiumArgs,
  });
  try {
    const page = await browser.newPage({ viewport });
    const consoleErrors: string[] = [];
    const blockedRequests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.route('**', (route) => {
      const url = route.request().url();
      if (url.startsWith('file://')) return route.continue();
      blockedRequests.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 15_000 });
    return {
      consoleErrors,
      blockedRequests,
      evaluate: (fn) => page.evaluate(fn),
      hover: (selector, position) => page.hover(selector, { timeout: 5000, ...(position ? { position } : {}) }),
      screenshot: async (out) => {
        await page.screenshot({ path: out, fullPage: true });
      },
      screenshotOf: async (selector, out) => {
        await page.locator(selector).first().screenshot({ path: out, timeout: 5000 });
      },
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
