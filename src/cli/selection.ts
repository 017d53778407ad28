import { checks, selection } from '../checks/registry.ts';
import { BadInputError } from '../common/errors.ts';
import type { UpcertConfig } from '../config/schema.ts';

/**
 * `--only`/`--skip` that leave no check to run are bad input (exit 2 before anything starts): a certification
 * that checks nothing must never pass, nor take minutes to say so.
 */
export function selectionMustLeaveACheck(config: Pick<UpcertConfig, 'only' | 'skip'>): void {
  if (checks.some((c) => selection(c.id, config.only, config.skip) === null)) return;
  const given = [
    config.only === undefined ? undefined : `--only '${config.only.join(',')}'`,
    config.skip.length > 0 ? `--skip '${config.skip.join(',')}'` : undefined,
  ].filter(Boolean);
  throw new BadInputError(`--only/--skip: the selection leaves no check to run (${given.join(' ')})`, {
    field: config.only?.length === 0 ? '--only' : '--only/--skip',
  });
}
