import { readFile, stat } from 'node:fs/promises';
import { parse } from 'yaml';
import { BadInputError } from '../common/errors.ts';
import type { UpcertConfig } from '../config/schema.ts';

/**
 * Every `-f` values file, read before anything starts: it exists, is a file, holds a YAML mapping. A
 * `secrets:` block on the local target is refused (exit 2), never ignored: the local target generates fresh
 * secrets for every run and cannot take known credentials (use --target kind or cluster for a staging-like run).
 */
export async function valuesFilesMustBeUsable(config: Pick<UpcertConfig, 'valuesFiles' | 'target'>): Promise<void> {
  for (const file of config.valuesFiles) {
    const bad = (what: string, cause?: unknown) => new BadInputError(`-f ${file}: ${what}`, { field: '-f', cause });
    const found = await stat(file).catch(() => undefined);
    if (!found) throw bad('values file not found');
    if (!found.isFile()) throw bad('not a file');
    let values: unknown;
    try {
      values = parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw bad(`not valid YAML (${(error as Error).message.split('\n')[0]})`, error);
    }
    if (values == null) continue;
    if (typeof values !== 'object' || Array.isArray(values)) throw bad('must hold a mapping of chart values');
    if (config.target === 'local' && 'secrets' in values)
      throw bad(
        'secrets: the local target generates fresh secrets for every run and does not take them from values; remove the block, or certify on --target kind or cluster with these secrets',
      );
  }
}
