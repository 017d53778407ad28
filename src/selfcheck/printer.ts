import { paintFor } from '../common/colour.ts';
import { isClean } from './leftovers.ts';
import type { CaseResult, MatrixCell } from './matrix.ts';

const secs = (ms: number) => `${Math.round(ms / 1000)} s`;
const label = (c: MatrixCell) => `${c.check} (${c.phase})`;
const pick = (r: CaseResult, ...o: MatrixCell['outcome'][]) => r.cells.filter((c) => o.includes(c.outcome));

function defectLines(r: CaseResult): string[] {
  const k = r.case;
  const head = `  ${(k.defect ?? k.name).padEnd(24)} ${`${k.from} → ${k.to}`.padEnd(48)} ${secs(r.durationMs).padStart(5)}`;
  const lines = [`${head}  ${r.ok ? paintFor().green('caught') : paintFor().red('NOT OK')}`];
  const expected = r.cells.filter((c) => k.expect.some((e) => e.check === c.check && e.phase === c.phase));
  for (const c of expected) {
    const mark =
      c.outcome === 'caught' ? paintFor().green('expected fail: failed') : paintFor().red(`expected fail: ${c.status}`);
    lines.push(`      ${label(c).padEnd(40)} ${mark}`);
  }
  for (const c of pick(r, 'collateral')) lines.push(`      ${label(c).padEnd(40)} collateral (declared): failed`);
  for (const c of pick(r, 'collateral-held')) lines.push(`      ${label(c).padEnd(40)} collateral (declared): passed`);
  for (const c of pick(r, 'undeclared'))
    lines.push(`      ${label(c).padEnd(40)} ${paintFor().red('UNDECLARED failure')}`);
  const halted = pick(r, 'not-evaluated');
  if (halted.length > 0) lines.push(`      not evaluated (the journey halted): ${halted.map(label).join(', ')}`);
  const passed = pick(r, 'passed').length;
  lines.push(`      ${passed} other check×phase passed; verdict ${r.verdict}`);
  for (const s of r.stepFailures) lines.push(`      step failed: ${s.step}: ${s.error.split('\n')[0]?.slice(0, 160)}`);
  for (const p of r.problems) lines.push(`      ${paintFor().red(p)}`);
  return lines;
}

function goodLine(r: CaseResult): string[] {
  const load = r.load ? `${r.load.total} requests, ${r.load.failed} failed` : 'no load';
  const head = `  ${r.case.name.padEnd(24)} ${load.padEnd(48)} ${secs(r.durationMs).padStart(5)}`;
  return [
    `${head}  ${r.ok ? paintFor().green('passed') : paintFor().red('FAILED')}`,
    ...r.problems.map((p) => `      ${paintFor().red(p)}`),
  ];
}

/** The detection matrix as text: good pairs, then each broken release with what failed and what should have. */
export function formatMatrix(results: CaseResult[], durationMs: number): string {
  const good = results.filter((r) => r.case.kind === 'good');
  const stress = results.filter((r) => r.case.kind === 'stress');
  const defects = results.filter((r) => r.case.kind === 'defect');
  const lines = ['', 'good pairs'];
  for (const r of good) lines.push(...goodLine(r));
  if (stress.length > 0) lines.push('', 'good releases with an honestly slow step (stress)');
  for (const r of stress) lines.push(...goodLine(r));
  lines.push('', 'broken releases (defect × check × phase)');
  for (const r of defects) lines.push(...defectLines(r));
  const failedGood = good.filter((r) => !r.ok).length;
  const failedStress = stress.filter((r) => !r.ok).length;
  const escaped = defects.filter((r) => r.cells.some((c) => c.outcome === 'escaped') || r.verdict === 'no-certificate');
  const undeclared = defects.filter((r) => r.cells.some((c) => c.outcome === 'undeclared'));
  const leaky = results.filter((r) => r.leftovers && !isClean(r.leftovers));
  lines.push(
    '',
    `good pairs: ${good.length - failedGood}/${good.length} passed; stress: ${stress.length - failedStress}/${stress.length} passed; defects: ${defects.length - escaped.length}/${defects.length} caught` +
      `; undeclared failures in ${undeclared.length} run(s); runs that left a process, port or temp file: ${leaky.length}` +
      `; total ${secs(durationMs)}`,
    '',
  );
  return lines.join('\n');
}
