import { appendFile } from 'node:fs/promises';
import type { UpcertConfig } from '../config/schema.ts';
import type { Certificate } from './certificate.ts';

/**
 * GitHub Actions workflow commands: `::error title=…::message` makes an annotation (the syntax of
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#setting-an-error-message;
 * escaping as actions/toolkit's packages/core/src/command.ts: `%`, CR, LF in data, and `:` `,` in properties).
 */
const escapeData = (s: string) => s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
const escapeProperty = (s: string) => escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');

export function errorAnnotation(title: string, message: string): string {
  return `::error title=${escapeProperty(title)}::${escapeData(message)}`;
}

/** One annotation per failed check and failed step of a certificate (`prefix`: the matrix cell, if any). */
export function certificateAnnotations(c: Certificate, prefix = ''): string[] {
  const lead = prefix ? `${prefix}: ` : '';
  return [
    ...c.checks
      .filter((x) => x.status === 'failed')
      .map((x) => errorAnnotation(`${lead}${x.id} (${x.phase}) failed`, `${c.from} → ${c.to}: ${x.summary}`)),
    ...c.stepFailures.map((s) => errorAnnotation(`${lead}step failed: ${s.step}`, `${c.from} → ${c.to}: ${s.error}`)),
  ];
}

const cellText = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The Markdown summary of one certificate: verdict, then every check that did not pass. */
export function certificateMarkdown(c: Certificate): string {
  const lines = [`### upcert ${c.from} → ${c.to} on ${c.target}: ${c.verdict}`, ''];
  const notPassed = c.checks.filter((x) => x.status !== 'passed');
  if (notPassed.length > 0) {
    lines.push('| check | phase | status | summary |', '|---|---|---|---|');
    for (const x of notPassed) lines.push(`| ${x.id} | ${x.phase} | ${x.status} | ${cellText(x.summary)} |`);
  }
  lines.push(
    '',
    `${c.checks.filter((x) => x.status === 'passed').length} checks passed; ${c.load.total} requests.`,
    '',
  );
  return lines.join('\n');
}

/**
 * In GitHub Actions (`GITHUB_ACTIONS`, through the configuration): annotations on standard output and the
 * Markdown appended to `$GITHUB_STEP_SUMMARY`. Elsewhere nothing.
 */
export async function publishToGithub(
  config: Pick<UpcertConfig, 'ci'>,
  annotations: string[],
  markdown: string,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  if (!config.ci.githubActions) return;
  for (const line of annotations) out.write(`${line}\n`);
  if (config.ci.stepSummary) await appendFile(config.ci.stepSummary, `${markdown}\n`);
}
