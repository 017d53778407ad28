import type { UnsupportedFeatures } from '../platform/features.ts';
import { browserAccessOf, canEditLive, type InstalledPlatform } from './target.ts';

/**
 * The features an installed platform lacks, read from the optional abilities it declares (e2e-framework's
 * optional provider interfaces): no way for a browser on this machine to the console, no live edit.
 */
export function platformLacks(platform: InstalledPlatform, target: string): UnsupportedFeatures {
  const lacks: UnsupportedFeatures = {};
  if (!browserAccessOf(platform)) {
    lacks.console = `the ${target} target gives a browser on this machine no way to the console (identity and console render as in-cluster names; set the chart's publicUrls)`;
  }
  if (!canEditLive(platform)) lacks['live-edit'] = `the ${target} target cannot edit live configuration`;
  return lacks;
}
