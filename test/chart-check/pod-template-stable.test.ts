/** chart-check `pod-template-stable`: N and N+1 rendered, the pods of workloads no release pins must not change. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { checkChart } from '../../src/chart-check/chart-check.ts';
import { type Finding, formatFinding } from '../../src/chart-check/finding.ts';
import { differences } from '../../src/chart-check/rules-upgrade.ts';
import { defaultRoot, loadRelease } from '../../src/release/catalog.ts';

const chart = path.join(defaultRoot, 'fixtures/platform/chart');
const temp = mkdtempSync(path.join(os.tmpdir(), 'upcert-pod-template-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const [from, to] = [loadRelease('v1.7.0'), loadRelease('v1.8.0')];
const stable = (findings: Finding[]) => findings.filter((f) => f.rule === 'pod-template-stable');

/** The reference chart as it was before this rule: pod templates labelled with `helm.sh/chart`. */
function chartWithVersionOnPods(): string {
  const dir = path.join(temp, 'version-on-pods');
  cpSync(chart, dir, { recursive: true });
  for (const file of ['templates/postgresql.yaml', 'templates/deployments.yaml']) {
    const target = path.join(dir, file);
    const text = readFileSync(target, 'utf8');
    const next = text.replace(
      'include "platform.podLabels" $labels | nindent 8',
      'include "platform.labels" $labels | nindent 8',
    );
    if (next === text) throw new Error(`test setup: no pod labels in ${file}`);
    writeFileSync(target, next);
  }
  return dir;
}

describe('pod-template-stable', () => {
  test('the reference chart keeps PostgreSQL and provider-mock pods from v1.7.0 to v1.8.0', async () => {
    const result = await checkChart({ release: to, from, allowUnbuilt: true });
    expect(result.findings).toEqual([]);
  });

  test('a chart version in the pod template labels is a finding per workload that is not upgraded', async () => {
    const result = await checkChart({ release: to, from, allowUnbuilt: true, chartDir: chartWithVersionOnPods() });
    expect(stable(result.findings).map(formatFinding)).toEqual([
      'pod-template-stable  Deployment/provider-mock  spec.template.metadata.labels.helm.sh/chart: "upcert-platform-1.7.0" → "upcert-platform-1.8.0": this workload is not upgraded, yet its pods would restart',
      'pod-template-stable  StatefulSet/postgresql  spec.template.metadata.labels.helm.sh/chart: "upcert-platform-1.7.0" → "upcert-platform-1.8.0": this workload is not upgraded, yet its pods would restart',
    ]);
    // without --from there is nothing to compare
    expect(
      stable((await checkChart({ release: to, allowUnbuilt: true, chartDir: chartWithVersionOnPods() })).findings),
    ).toEqual([]);
  });

  test('differences name each changed path', () => {
    expect(differences({ a: { b: [1, 2] }, c: 'x' }, { a: { b: [1, 3] }, c: 'x', d: true }, 'spec')).toEqual([
      { path: 'spec.a.b[1]', before: 2, after: 3 },
      { path: 'spec.d', before: undefined, after: true },
    ]);
  });
});
