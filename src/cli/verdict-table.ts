import type { Certificate } from '../report/certificate.ts';

const useColor = () => process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (useColor() ? `\u001b[${code}m${text}\u001b[0m` : text);
const statusText: Record<string, string> = {
  passed: paint(32, 'passed'),
  failed: paint(31, 'FAILED'),
  skipped: paint(33, 'skipped'),
  'not-supported': paint(33, 'not-supported'),
};

const verdictColor: Record<Certificate['verdict'], number> = { passed: 32, failed: 31, inconclusive: 33 };

/** The final table: every check per phase with its verdict, the step failures, and where the report is. */
export function printVerdict(
  certificate: Certificate,
  runDir: string,
  out: NodeJS.WritableStream = process.stdout,
): void {
  const phases = ['install', 'upgrade', 'rollback'] as const;
  const width = Math.max(...certificate.checks.map((c) => c.id.length), 10);
  const lines = [`\n${certificate.from} → ${certificate.to} on ${certificate.target}`];
  for (const phase of phases) {
    const checks = certificate.checks.filter((c) => c.phase === phase);
    if (checks.length === 0) continue;
    lines.push(`  ${phase}`);
    for (const c of checks) lines.push(`    ${c.id.padEnd(width)}  ${statusText[c.status]}  ${c.summary}`);
  }
  for (const f of certificate.stepFailures) lines.push(`  step failed: ${f.step}: ${f.error}`);
  for (const f of certificate.harnessFaults)
    lines.push(`  harness fault at +${(f.atMs / 1000).toFixed(1)} s: ${f.source}: ${f.reason}`);
  const { load } = certificate;
  lines.push(`  load: ${load.total} requests, ${load.served} served, ${load.failed} failed, ${load.streams} streams`);
  const verdict = paint(verdictColor[certificate.verdict], certificate.verdict.toUpperCase());
  lines.push(`verdict: ${verdict} in ${(certificate.durationMs / 1000).toFixed(1)} s`);
  if (certificate.verdict === 'inconclusive')
    for (const reason of certificate.verdictReasons) lines.push(`  inconclusive: ${reason}`);
  lines.push(`report: ${runDir}`, '');
  out.write(lines.join('\n'));
}
