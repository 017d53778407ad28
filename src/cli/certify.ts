import path from 'node:path';
import { BadInputError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { describeConfig } from '../config/redacted.ts';
import { resolveConfig } from '../config/resolve.ts';
import { openRunTempDir } from '../config/temp-dir.ts';
import type { CertificationInput } from '../journey/certification.ts';
import { checkIds } from '../release/manifest.ts';
import { exitCodeOfVerdict } from '../report/certificate.ts';

const log = createLogger('certify');

export interface CertifyFlags {
  config?: string;
  from?: string;
  through?: string[];
  to?: string;
  unsupported?: boolean;
  json?: string;
  target?: string;
  platform?: string;
  context?: string;
  values: string[];
  only?: string;
  skip?: string;
  rate?: string;
  reportDir?: string;
  keep?: boolean;
  allowDestructive?: boolean;
  plan?: boolean;
  namespace?: string;
  releaseName?: string;
  gatewayUrl?: string;
  providerUrl?: string;
  registry?: string;
  keepBackup?: boolean;
  handEditSeconds?: string;
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
    through: flags.through?.length ? flags.through : undefined,
    to: flags.to,
    unsupported: flags.unsupported || undefined,
    target: flags.target,
    platform: flags.platform,
    context: flags.context,
    valuesFiles: flags.values.length > 0 ? flags.values : undefined,
    only: ids('--only', flags.only),
    skip: ids('--skip', flags.skip),
    reportDir: flags.reportDir,
    keep: flags.keep || undefined,
    allowDestructive: flags.allowDestructive || undefined,
    load: rate === undefined ? undefined : { rate },
    kube:
      flags.namespace || flags.releaseName ? { namespace: flags.namespace, releaseName: flags.releaseName } : undefined,
    cluster:
      flags.gatewayUrl || flags.providerUrl || flags.registry || flags.keepBackup
        ? {
            gatewayUrl: flags.gatewayUrl,
            providerUrl: flags.providerUrl,
            registry: flags.registry,
            keepBackup: flags.keepBackup || undefined,
          }
        : undefined,
    timeouts: flags.handEditSeconds === undefined ? undefined : { handEditSeconds: Number(flags.handEditSeconds) },
  };
}

export async function certify(flags: CertifyFlags): Promise<number> {
  const config = resolveConfig({
    configFile: flags.config,
    explicitConfigFile: Boolean(flags.config),
    flags: flagLayer(flags),
  });
  if (flags.plan) {
    const { printClusterPlan } = await import('./cluster-plan-command.ts');
    return printClusterPlan(config);
  }
  // What a run needs (the browser, the test runner, the journey) loads only once the flags are known good.
  const { announceNotSupported, preflight } = await import('./certify-preflight.ts');
  await preflight(config);
  announceNotSupported(config);
  const { newRunId } = await import('../journey/run-id.ts');
  const { runSuites } = await import('./run-suites.ts');
  const { publishRunResult, readRunResult, writeRunJson } = await import('./certify-result.ts');
  const input: CertificationInput = { config, runId: newRunId(config.from, config.to) };
  const runDir = path.resolve(config.reportDir, input.runId);
  log.info(`certifying ${config.from} → ${config.to} on ${config.target}; report: ${runDir}`);
  log.info(`configuration:\n${describeConfig(config)}`);
  // everything the run puts in a temp dir (vitest, the platform, PostgreSQL, Chromium) goes under one, removed
  // at the end, on an interrupt and at exit
  const tempDir = openRunTempDir();
  let suites: { interrupted: boolean; kept: boolean };
  try {
    suites = await runSuites(input, runDir, tempDir);
  } finally {
    tempDir.remove();
  }
  const { interrupted, kept } = suites;
  const result = readRunResult(config, runDir);
  if (!result) {
    // a report upcert could not write is its own fault, not the platform's: inconclusive
    log.error('verdict: inconclusive: no certificate was written');
    return interrupted ? 130 : exitCodeOfVerdict('inconclusive');
  }
  if (flags.json) await writeRunJson(flags.json, result);
  // --keep: the verdict was printed when the platform was kept; Ctrl-C then ended serving, not the run
  if (kept) return exitCodeOfVerdict(result.verdict);
  await publishRunResult(config, runDir, result, flags.json === '-' ? process.stderr : process.stdout);
  if (interrupted) return 130;
  return exitCodeOfVerdict(result.verdict);
}
