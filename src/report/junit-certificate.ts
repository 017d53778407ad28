import { phases } from '../release/manifest.ts';
import type { Certificate } from './certificate.ts';
import { escapeXml as esc } from './timeline-scale.ts';

type Check = Certificate['checks'][number];

/** One check as a JUnit test case: classname the check id; failed, skipped or not-supported with the reason. */
export function checkCase(c: Check, name = `${c.id} (${c.phase})`): string {
  const open = `<testcase classname="${esc(c.id)}" name="${esc(name)}" time="0">`;
  if (c.status === 'failed') return `${open}<failure message="${esc(c.summary)}" type="check-failed"/></testcase>`;
  if (c.status === 'skipped' || c.status === 'not-supported')
    return `${open}<skipped message="${esc(`${c.status}: ${c.summary}`)}"/></testcase>`;
  return `${open}</testcase>`;
}

export function properties(values: Record<string, string>): string {
  const items = Object.entries(values).map(([k, v]) => `<property name="${esc(k)}" value="${esc(v)}"/>`);
  return `<properties>${items.join('')}</properties>`;
}

export function suite(name: string, props: Record<string, string>, cases: string[], counts: Counts): string {
  return `<testsuite name="${esc(name)}" tests="${counts.tests}" failures="${counts.failures}" skipped="${counts.skipped}" errors="0">${properties(props)}\n${cases.join('\n')}\n</testsuite>`;
}

export interface Counts {
  tests: number;
  failures: number;
  skipped: number;
}

export function countsOf(checks: Check[]): Counts {
  return {
    tests: checks.length,
    failures: checks.filter((c) => c.status === 'failed').length,
    skipped: checks.filter((c) => c.status === 'skipped' || c.status === 'not-supported').length,
  };
}

/**
 * junit.xml written from the certificate (CI conventions): one suite per phase, one test case per check
 * (classname the check id), skipped and not-supported with their reasons, properties from/to/target; a
 * failed step is a test case of its own.
 */
export function certificateJunit(c: Certificate): string {
  const props = { from: c.from, to: c.to, target: c.target, verdict: c.verdict, runId: c.runId };
  const suites = phases.map((phase) => {
    const checks = c.checks.filter((x) => x.phase === phase);
    return suite(
      phase,
      props,
      checks.map((x) => checkCase(x)),
      countsOf(checks),
    );
  });
  if (c.stepFailures.length > 0) {
    const cases = c.stepFailures.map(
      (s) =>
        `<testcase classname="step" name="${esc(s.step)}" time="0"><failure message="${esc(s.error)}" type="step-failed"/></testcase>`,
    );
    suites.push(suite('steps', props, cases, { tests: cases.length, failures: cases.length, skipped: 0 }));
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="upcert ${esc(c.from)} → ${esc(c.to)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
