import type { Locator, Page } from 'playwright-core';
import { type ProductProfile, tenantSelectorFor } from './profile.ts';

export interface Landing {
  heading: string | null;
  tenantShown: boolean;
  version: string | null;
}

async function textOf(locator: Locator, timeoutMs: number): Promise<string | null> {
  try {
    return ((await locator.textContent({ timeout: timeoutMs })) ?? '').trim();
  } catch {
    return null;
  }
}

/**
 * Reads the landing page as the profile describes it: its heading (waited for, within the deadline), then,
 * the page being rendered, whether the seeded organization's block is there and the console's version.
 */
export async function readLanding(
  page: Page,
  profile: ProductProfile,
  organizationId: string,
  timeoutMs: number,
): Promise<Landing> {
  const heading = await textOf(page.locator(profile.landing.heading.selector).first(), timeoutMs);
  const tenantShown = (await page.locator(tenantSelectorFor(profile, organizationId)).count()) > 0;
  const versionLocator = profile.versionSelector ? page.locator(profile.versionSelector).first() : undefined;
  const version = versionLocator && (await versionLocator.count()) > 0 ? await textOf(versionLocator, 1000) : null;
  return { heading, tenantShown, version };
}
