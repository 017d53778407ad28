import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { buildPlatform } from '../../fixtures/platform/build.ts';
import { consoleSignInPreflight } from '../browser/preflight.ts';
import { BadInputError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { describeConfig } from '../config/redacted.ts';
import { resolveConfig } from '../config/resolve.ts';
import type { UpcertConfig } from '../config/schema.ts';
import { type CertificationInput, newRunId } from '../journey/certification.ts';
import { checkIds } from '../release/manifest.ts';
import { loadReleaseOf, pairMustBeAnUpgrade } from '../release/pair.ts';
import { type Certificate, certificateSchema, exitCodeOfVerdict } from '../report/certificate.ts';
import { loadTenantFixture } from '../seed/load-fixture.ts';
import { kubePreflight } from '../targets/kube/preflight.ts';
import { frontDoorPortMustBeFree } from '../targets/local/front-door.ts';
import { reportDirMustBeWritable } from './report-dir.ts';
import { runSuites } from './run-suites.ts';
import { selectionMustLeaveACheck } from './selection.ts';
import { ensurePgTools } from './setup.ts';
import { valuesFilesMustBeUsable } from './values-files.ts';
import { printVerdict } from './verdict-table.ts';

const log = createLogger('certify');

export interface CertifyFlags {
  config?: string;
  from?: string;
  to?: string;
  target?: string;
  context?: string;
  values: string[];
  only?: string;
  skip?: string;
  rate?: string;
  reportDir?: string;
  keep?: boolean;
  allowDestructive?: boolean;
}

function ids(flag: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = list.filter((id) => !(checkIds as readonly string[]).includes(id));
  if (unknown.length > 0) {
    throw new BadInputError(`${flag}: unknown check id ${unknown.join(', ')} (known: ${checkIds.join(', ')})`, {
      field: flag,
    });
  }
  return list;
}

/** The flags in the configuration's shape (they win over the file and the environment). */
export function flagLayer(flags: CertifyFlags): Record<string, unknown> {
  const rate = flags.rate === undefined ? undefined : Number(flags.rate);
  if (rate !== undefined && !(rate > 0))
    throw new BadInputError(`--rate: expected a positive number, got ${flags.rate}`, { field: '--rate' });
  return {
    from: flags.from,
    to: flags.to,
    target: flags.target,
    context: flags.context,
    valuesFiles: flags.values.length > 0 ? flags.values : undefined,
    only: ids('--only', flags.only),
    skip: ids('--skip', flags.skip),
    reportDir: flags.reportDir,
    keep: flags.keep || undefined,
    allowDestructive: flags.allowDestructive || undefined,
    load: rate === undefined ? undefined : { rate },
  };
}

/** Everything that can be known wrong before anything starts: bad input (2) and a missing tool (3). */
export async function preflight(config: UpcertConfig): Promise<void> {
  selectionMustLeaveACheck(config);
  const from = loadReleaseOf('--from', config.from);
  const to = loadReleaseOf('--to', config.to);
  pairMustBeAnUpgrade(from, to);
  if (config.target === 'cluster' && !config.context) {
    throw new BadInputError('--target cluster needs --context <kubeconfig context>', { field: '--context' });
  }
  await valuesFilesMustBeUsable(config);
  await loadTenantFixture();
  await reportDirMustBeWritable(config.reportDir);
  if (config.target !== 'local') kubePreflight(config.target, [from, to], process.env.PATH);
  for (const [service, port] of Object.entries(config.local.ports)) {
    if (port !== undefined) await frontDoorPortMustBeFree(service, port, `local.ports.${service}`);
  }
  await ensurePgTools();
  await consoleSignInPreflight(config);
  const build = await buildPlatform({ releases: [from.name, to.name] });
  if (build.missing.length > 0) throw new BadInputError(`build: missing platform sources: ${build.missing.join(', ')}`);
}

export async function certify(flags: CertifyFlags): Promise<number> {
  const config = resolveConfig({
    configFile: flags.config,
    explicitConfigFile: Boolean(flags.config),
    flags: flagLayer(flags),
  });
  await preflight(config);
  const input: CertificationInput = { config, runId: newRunId(config.from, config.to) };
  const runDir = path.resolve(config.reportDir, input.runId);
  log.info(`certifying ${config.from} → ${config.to} on ${config.target}; report: ${runDir}`);
  log.info(`configuration:\n${describeConfig(config)}`);
  const { interrupted } = await runSuites(input, runDir);
  const file = path.join(runDir, 'certificate.json');
  if (!existsSync(file)) {
    // a report upcert could not write is its own fault, not the platform's: inconclusive
    log.error(`verdict: inconclusive: no certificate was written (${file})`);
    return interrupted ? 130 : exitCodeOfVerdict('inconclusive');
  }
  const certificate: Certificate = certificateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  printVerdict(certificate, runDir);
  if (interrupted) return 130;
  return exitCodeOfVerdict(certificate.verdict);
}

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
      process.exitCode = await certify(flags);
    });
}
