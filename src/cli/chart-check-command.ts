import { Command } from 'commander';
import type { ChartCheckFlags } from './chart-check.ts';

/** `upcert chart-check`: its flags; helm and the rules are loaded when the command runs. */
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
      const { chartCheck } = await import('./chart-check.ts');
      process.exitCode = await chartCheck(flags);
    });
}
