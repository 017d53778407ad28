import { Command } from 'commander';
import type { SelfcheckFlags } from './selfcheck.ts';

/** `upcert selfcheck`: its flags; the cases and the runner are loaded when the command runs. */
export function selfcheckCommand(): Command {
  return new Command('selfcheck')
    .description('certify the good pairs and every broken release with its pair; print the detection matrix')
    .option('--json <file>', 'write the matrix as JSON')
    .option('--repeat <n>', 'certify the good pairs n times (flakiness)')
    .option(
      '--only <names>',
      'only these cases (comma-separated: release or defect names, or a kind: "good", "stress", "defect")',
    )
    .option('--config <file>', 'configuration file (default: upcert.config.yaml when present)')
    .option('--report-dir <dir>', 'where reports go (default: reports)')
    .option('--case-timeout <seconds>', 'stop a certification that runs longer (default 900)')
    .action(async (flags: SelfcheckFlags) => {
      const { selfcheck } = await import('./selfcheck.ts');
      process.exitCode = await selfcheck(flags);
    });
}
