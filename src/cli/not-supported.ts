import { checks, selection } from '../checks/registry.ts';
import { createLogger } from '../common/logger.ts';
import type { UpcertConfig } from '../config/schema.ts';
import { missingFeature, type UnsupportedFeatures } from '../platform/features.ts';

const log = createLogger('certify');

/**
 * Says, before anything starts, which selected checks the target and the platform cannot support and why (they
 * run as not-supported): what the platform's profile and the target declare (an installed platform's abilities
 * may add to it; each check says so when it runs).
 */
export function notSupportedChecks(config: UpcertConfig, unsupported: UnsupportedFeatures): void {
  for (const check of checks) {
    const missing = missingFeature(check.needs, unsupported);
    if (missing && !selection(check.id, config.only, config.skip)) {
      log.info(`${check.id}: not-supported on ${config.platform} / ${config.target} (${missing})`);
    }
  }
}
