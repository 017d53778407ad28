import { Command, InvalidArgumentError, Option } from 'commander';
import { checkIds } from '../release/manifest.ts';
import type { CertifyFlags } from './certify.ts';

/**
 * A flag value checked as commander parses it, so that a wrong one is a usage error (one line and the usage,
 * exit 2); the value itself passes on unchanged to `flagLayer`, which checks it again for other callers.
 */
function checked(check: (value: string) => string | undefined) {
  return (value: string): string => {
    const problem = check(value);
    if (problem) throw new InvalidArgumentError(problem);
    return value;
  };
}

const positiveNumber = checked((v) => (Number(v) > 0 ? undefined : 'expected a positive number.'));
const knownCheckIds = checked((v) => {
  const unknown = v
    .split(',')
    .map((s) => s.trim())
    .filter((id) => id && !(checkIds as readonly string[]).includes(id));
  return unknown.length > 0 ? `unknown check id ${unknown.join(', ')} (known: ${checkIds.join(', ')}).` : undefined;
});

/** `upcert certify`: its flags; the run itself is loaded when the command runs (start-up stays fast). */
export function certifyCommand(): Command {
  return new Command('certify')
    .description('install N, seed, upgrade to N+1 under load, prove every check; writes a report')
    .option('--config <file>', 'configuration file (default: upcert.config.yaml when present)')
    .option('--from <release>', 'release to install first (default v1.7.0)')
    .option(
      '--through <release>',
      'an intermediate release of a multi-hop path (repeatable, in order): each hop certified in one platform',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--to <release>', 'release to upgrade to (default v1.8.0)')
    .option('--unsupported', 'certify an upgrade the support policy refuses, to prove that it breaks')
    .option('--json <file>', 'write the certificate as JSON too (`-`: standard output)')
    .addOption(new Option('--target <target>', 'where to run').choices(['local', 'kind', 'cluster']))
    .option(
      '--platform <name>',
      'the platform certified: its profile in fixtures/platforms/<name>/ (default reference; portkey: Portkey AI Gateway)',
    )
    .option('--context <context>', 'kubeconfig context (cluster target)')
    .option(
      '-f, --values <file>',
      'values file (repeatable, later wins)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--only <ids>', `run only these checks (comma-separated: ${checkIds.join(', ')})`, knownCheckIds)
    .option('--skip <ids>', 'skip these checks (comma-separated)', knownCheckIds)
    .option('--rate <n>', 'load: requests per second', positiveNumber)
    .option('--report-dir <dir>', 'where reports go (default: reports)')
    .option(
      '--keep',
      'keep the platform serving after the run (local: in the foreground, prints its URLs; Ctrl-C stops it)',
    )
    .option('--allow-destructive', 'allow restore and rollback on an existing cluster')
    .option(
      '--plan',
      'cluster: print every write, tenant, hand edit, helm operation and RBAC verb the run would make; change nothing',
    )
    .option('--namespace <ns>', 'namespace of the platform release (kind, cluster; default upcert-platform)')
    .option('--release-name <name>', 'helm release name (kind, cluster; default upcert)')
    .option(
      '--gateway-url <url>',
      "cluster: the gateway through your ingress or load balancer (the load's path; default a port-forward)",
    )
    .option(
      '--provider-url <url>',
      'cluster: the OpenAI-compatible upstream seeded providers call (default: the chart provider-mock)',
    )
    .option('--registry <registry>', 'cluster: registry the images are pulled from (prefixes every repository)')
    .option('--keep-backup', "cluster: keep the pg_dump of the platform's schemas in the report")
    .option(
      '--hand-edit-seconds <n>',
      'deadline of the hand edit reaching every replica (cluster default 150)',
      positiveNumber,
    )
    .action(async (flags: CertifyFlags) => {
      const { certify } = await import('./certify.ts');
      process.exitCode = await certify(flags);
    });
}
