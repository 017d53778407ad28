import { Command, InvalidArgumentError, Option } from 'commander';
import type { PlatformUpOptions } from './platform-up.ts';

function wholeNumber() {
  return (value: string): number => {
    const n = Number(value);
    // commander reports it as a usage error naming the flag and the value (exit 2)
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0.');
    return n;
  };
}

/** `upcert platform up`: its flags; the local target is loaded when the command runs. */
export function platformCommand(): Command {
  const platform = new Command('platform').description('run the reference platform on the local target');
  platform
    .command('up')
    .description('start a release in the foreground; prints one JSON line with its URLs and admin token')
    .requiredOption('--version <release>', 'release to run, e.g. v1.7.0')
    .option('--ha', 'high availability values (2 replicas of each component)', false)
    .option(
      '-f, --values <file>',
      'values file (repeatable, later wins)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .addOption(
      new Option('--artifact-check <mode>', 'check bundles against the release sha256 pins')
        .choices(['strict', 'off'])
        .default('strict'),
    )
    .option('--endpoint-propagation-ms <ms>', 'endpoint removal delay after SIGTERM', wholeNumber())
    .action(async (opts: PlatformUpOptions) => {
      const { platformUp } = await import('./platform-up.ts');
      await platformUp(opts);
    });
  return platform;
}
