import { existsSync } from 'node:fs';
import { checkChart } from '../chart-check/chart-check.ts';
import { formatFinding } from '../chart-check/finding.ts';
import { BadInputError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { loadRelease } from '../release/catalog.ts';

const log = createLogger('chart-check');

export interface ChartCheckFlags {
  release: string;
  from?: string;
  values: string[];
  ha: boolean;
  allowUnbuilt?: boolean;
}

/** Prints one line per finding on stdout; 0 when there is none, 1 otherwise. */
export async function chartCheck(
  flags: ChartCheckFlags,
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  const release = loadRelease(flags.release);
  for (const file of flags.values) {
    if (!existsSync(file)) throw new BadInputError(`-f ${file}: values file not found`, { field: '-f' });
  }
  const result = await checkChart({
    release,
    from: flags.from ? loadRelease(flags.from) : undefined,
    valuesFiles: flags.values,
    highAvailability: flags.ha,
    allowUnbuilt: flags.allowUnbuilt,
  });
  for (const f of result.findings) out(formatFinding(f));
  const summary = `${release.name}: ${result.objects} objects rendered from ${result.chartDir}, ${result.findings.length} finding(s)`;
  if (result.findings.length > 0) log.error(summary);
  else log.info(summary);
  return result.findings.length > 0 ? 1 : 0;
}
