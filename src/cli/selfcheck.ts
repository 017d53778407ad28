import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildPlatform } from '../../fixtures/platform/build.ts';
import { BadInputError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { selfcheckCases } from '../selfcheck/cases.ts';
import type { CaseResult } from '../selfcheck/matrix.ts';
import { formatMatrix } from '../selfcheck/printer.ts';
import { runCase } from '../selfcheck/runner.ts';

const log = createLogger('selfcheck');

export interface SelfcheckFlags {
  json?: string;
  repeat?: string;
  only?: string;
  config?: string;
  reportDir?: string;
  caseTimeout?: string;
}

function positive(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new BadInputError(`${flag}: expected a positive integer, got ${value}`, { field: flag });
  return n;
}

/** The JSON file of `--json`: every case and every (check, phase) cell. */
export function matrixJson(results: CaseResult[], durationMs: number) {
  return {
    schema: 'upcert/selfcheck@1',
    durationMs,
    ok: results.every((r) => r.ok),
    cases: results.map((r) => ({
      name: r.case.name,
      kind: r.case.kind,
      defect: r.case.defect ?? null,
      role: r.case.role ?? null,
      from: r.case.from,
      to: r.case.to,
      ok: r.ok,
      verdict: r.verdict,
      problems: r.problems,
      expect: r.case.expect,
      collateral: r.case.collateral,
      cells: r.cells,
      stepFailures: r.stepFailures,
      durationMs: r.durationMs,
      reportDir: r.reportDir,
      leftovers: r.leftovers ?? null,
    })),
  };
}

/**
 * `upcert selfcheck`: certifies the good pairs (`--repeat N` times) and every broken release with its pair,
 * one run at a time, and prints the detection matrix. Exit 1 when a good pair fails, a defect escapes its
 * expected check, or a check fails that the defect does not declare; 130 when interrupted.
 */
export async function selfcheck(flags: SelfcheckFlags): Promise<number> {
  const repeat = positive('--repeat', flags.repeat, 1);
  const caseTimeoutMs = positive('--case-timeout', flags.caseTimeout, 900) * 1000;
  const only = flags.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const cases = selfcheckCases({ repeat, only });
  if (cases.length === 0) throw new BadInputError(`--only ${flags.only}: no case matches`, { field: '--only' });
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const dir = path.resolve(flags.reportDir ?? 'reports', `selfcheck-${stamp}`);
  await mkdir(dir, { recursive: true });
  await buildPlatform({ releases: [...new Set(cases.flatMap((c) => [c.from, c.to]))], log: () => undefined });
  log.info(`${cases.length} certifications, one at a time; reports under ${dir}`);

  let child: number | undefined;
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    if (child) process.kill(child, signal); // the run cleans up and writes its report
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = Date.now();
  const results: CaseResult[] = [];
  try {
    for (const [i, kase] of cases.entries()) {
      if (interrupted) break;
      log.info(`[${i + 1}/${cases.length}] certify ${kase.from} → ${kase.to}`);
      const result = await runCase(kase, {
        dir,
        configFile: flags.config,
        caseTimeoutMs,
        onChild: (pid) => (child = pid),
      });
      const outcome = result.ok ? 'as expected' : `NOT as expected: ${result.problems.join('; ')}`;
      log.info(`[${i + 1}/${cases.length}] ${kase.name}: ${outcome} (${Math.round(result.durationMs / 1000)} s)`);
      results.push(result);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const durationMs = Date.now() - started;
  process.stdout.write(formatMatrix(results, durationMs));
  const json = matrixJson(results, durationMs);
  await writeFile(path.join(dir, 'matrix.json'), `${JSON.stringify(json, null, 2)}\n`);
  if (flags.json) await writeFile(flags.json, `${JSON.stringify(json, null, 2)}\n`);
  if (interrupted) return 130;
  return json.ok && results.length === cases.length ? 0 : 1;
}
