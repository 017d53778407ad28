import { redactText } from '../common/logger.ts';
import type { UpcertConfig } from './schema.ts';

/** The resolved configuration as printed at the start of a run: secrets (registered with the logger) redacted. */
export function describeConfig(config: UpcertConfig): string {
  return redactText(JSON.stringify(config, null, 2));
}
