import { existsSync } from 'node:fs';
import { Command } from 'commander';
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

export function chartCheckCommand(): Command {
  return new Command('chart-check')
    .description("render the release's chart with helm template and check it against the upgrade promises (no cluster)")
    .requiredOption('--release <release>', 'release whose chart and images to check, e.g. v1.8.0')
    .option('--from <release>', 'the release upgraded from: also check that its non-upgraded pods would not restart')
    .option(
      '-f, --values <file>',
      'values file (repeatable, later wins)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--no-ha', 'render without global.highAvailability (skips the HA rules)')
    .option('--allow-unbuilt', 'accept image digests not yet recorded (before `npm run images:build`)')
    .action(async (flags: ChartCheckFlags) => {
      process.exitCode = await chartCheck(flags);
    });
}
