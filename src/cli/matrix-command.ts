import { Command } from 'commander';
import type { MergeFlags, PlanFlags, RunFlags } from './matrix.ts';

function common(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'configuration file (default: upcert.config.yaml when present)')
    .option('--to <release>', 'the release candidate every cell upgrades to')
    .option('--targets <list>', 'targets (comma-separated: local, kind, cluster; default: the configured one)')
    .option('--topologies <list>', 'topologies (comma-separated: single, ha)')
    .option('--baselines <list>', "kind/cluster: Kubernetes baselines (comma-separated; default: the from-release's)")
    .option('--unsupported', 'run the unsupported upgrades too, to prove that they break (never required)')
    .option('--results <dir>', 'the content-addressed results directory (default: reports/matrix)');
}

/** `upcert matrix plan|run|merge`: its flags; what it runs is loaded when it runs (start-up stays fast). */
export function matrixCommand(): Command {
  const matrix = new Command('matrix').description('plan, run (sharded) and merge a version matrix into one report');
  const planCmd = common(new Command('plan').description('list the cells of --to R (or --github: the job matrix)'))
    .option('--github', 'print the job matrix a GitHub Actions workflow consumes (fromJSON)')
    .option('--shards <n>', 'with --github: this many shards (default: one per cell)')
    .action(async (flags: PlanFlags) => {
      const { plan } = await import('./matrix.ts');
      process.exitCode = await plan(flags);
    });
  const runCmd = common(new Command('run').description('certify every cell (skipping cells whose key already passed)'))
    .option('--shard <i/n>', 'run only shard i of n (CI)')
    .option('--rerun', 'run even the cells whose key already has a passing certificate')
    .option('--baseline <matrix.json>', "compare each cell with the previous release's matrix")
    .option('--report <dir>', 'where the matrix report goes (default: <results>/report)')
    .action(async (flags: RunFlags) => {
      const { run } = await import('./matrix.ts');
      process.exitCode = await run(flags);
    });
  const mergeCmd = common(new Command('merge').description("combine the shards' results into one matrix report"))
    .option(
      '--from <dir>',
      'a results directory of a shard (repeatable; default: --results)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--baseline <matrix.json>', "compare each cell with the previous release's matrix")
    .option('--report <dir>', 'where the matrix report goes (default: <results>/report)')
    .action(async (flags: MergeFlags) => {
      const { merge } = await import('./matrix.ts');
      process.exitCode = await merge(flags);
    });
  return matrix.addCommand(planCmd).addCommand(runCmd).addCommand(mergeCmd);
}
