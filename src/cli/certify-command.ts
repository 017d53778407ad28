import { Command, Option } from 'commander';
import { checkIds } from '../release/manifest.ts';
import type { CertifyFlags } from './certify.ts';

/** `upcert certify`: its flags; the run itself is loaded when the command runs (start-up stays fast). */
export function certifyCommand(): Command {
  return new Command('certify')
    .description('install N, seed, upgrade to N+1 under load, prove every check; writes a report')
    .option('--config <file>', 'configuration file (default: upcert.config.yaml when present)')
    .option('--from <release>', 'release to install first (default v1.7.0)')
    .option('--to <release>', 'release to upgrade to (default v1.8.0)')
    .addOption(new Option('--target <target>', 'where to run').choices(['local', 'kind', 'cluster']))
    .option('--context <context>', 'kubeconfig context (cluster target)')
    .option(
      '-f, --values <file>',
      'values file (repeatable, later wins)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--only <ids>', `run only these checks (comma-separated: ${checkIds.join(', ')})`)
    .option('--skip <ids>', 'skip these checks (comma-separated)')
    .option('--rate <n>', 'load: requests per second')
    .option('--report-dir <dir>', 'where reports go (default: reports)')
    .option('--keep', 'leave the platform running after the run')
    .option('--allow-destructive', 'allow restore and rollback on an existing cluster')
    .action(async (flags: CertifyFlags) => {
      const { certify } = await import('./certify.ts');
      process.exitCode = await certify(flags);
    });
}
