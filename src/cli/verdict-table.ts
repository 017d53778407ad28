import { type Paint, paintFor } from '../common/colour.ts';
import type { Certificate } from '../report/certificate.ts';

const statusText = (p: Paint): Record<string, string> => ({
  passed: p.green('passed'),
  failed: p.red('FAILED'),
  skipped: p.yellow('skipped'),
  'not-supported': p.yellow('not-supported'),
});

const verdictColor = { passed: 'green', failed: 'red', inconclusive: 'yellow' } as const;

/** The final table: every check per phase with its verdict, the step failures, and where the report is. */
export function printVerdict(
  certificate: Certificate,
  runDir: string,
  out: NodeJS.WritableStream = process.stdout,
): void {
  const p = paintFor(out as { isTTY?: boolean });
  const status = statusText(p);
  const phases = ['install', 'upgrade', 'rollback'] as const;
  const width = Math.max(...certificate.checks.map((c) => c.id.length), 10);
  const lines = [`\n${certificate.from} → ${certificate.to} on ${certificate.target}`];
  for (const phase of phases) {
    const checks = certificate.checks.filter((c) => c.phase === phase);
    if (checks.length === 0) continue;
    lines.push(`  ${phase}`);
    for (const c of checks) lines.push(`    ${c.id.padEnd(width)}  ${status[c.status]}  ${c.summary}`);
  }
  for (const f of certificate.stepFailures) lines.push(`  step failed: ${f.step}: ${f.error}`);
  for (const f of certificate.harnessFaults)
    lines.push(`  harness fault at +${(f.atMs / 1000).toFixed(1)} s: ${f.source}: ${f.reason}`);
  const { load } = certificate;
  lines.push(`  load: ${load.total} requests, ${load.served} served, ${load.failed} failed, ${load.streams} streams`);
  const verdict = p[verdictColor[certificate.verdict]](certificate.verdict.toUpperCase());
  lines.push(`verdict: ${verdict} in ${(certificate.durationMs / 1000).toFixed(1)} s`);
  if (certificate.verdict === 'inconclusive')
    for (const reason of certificate.verdictReasons) lines.push(`  inconclusive: ${reason}`);
  lines.push(`report: ${runDir}`, '');
  out.write(lines.join('\n'));
}
