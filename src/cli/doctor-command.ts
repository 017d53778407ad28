import { Command, Option } from 'commander';

/** `upcert doctor --target cluster --context C`: is this cluster ready for a run (exit 0), or what is missing (exit 3). */
export function doctorCommand(): Command {
  return new Command('doctor')
    .description(
      'check a cluster before a run: tools, versions, installed release, image digests, RBAC (SelfSubjectAccessReview)',
    )
    .addOption(new Option('--target <target>', 'what to check').choices(['cluster']).default('cluster'))
    .option('--context <context>', 'kubeconfig context')
    .option('--config <file>', 'configuration file (default: upcert.config.yaml when present)')
    .option('--from <release>', 'release that must be installed (default v1.7.0)')
    .option('--to <release>', 'release the run would upgrade to (default v1.8.0)')
    .option(
      '-f, --values <file>',
      'values file (repeatable, later wins)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--namespace <ns>', 'namespace of the platform release')
    .option('--release-name <name>', 'helm release name')
    .option('--registry <registry>', 'registry the images are pulled from')
    .action(async (flags: Record<string, unknown> & { values: string[] }) => {
      const { resolveConfig } = await import('../config/resolve.ts');
      const { flagLayer } = await import('./certify.ts');
      const { doctor } = await import('./doctor.ts');
      const config = resolveConfig({
        configFile: flags.config as string | undefined,
        explicitConfigFile: Boolean(flags.config),
        flags: flagLayer({ ...(flags as object), values: flags.values } as Parameters<typeof flagLayer>[0]),
      });
      process.exitCode = await doctor(config);
    });
}
