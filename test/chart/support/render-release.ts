import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import { deepMerge, type Values } from '../../../src/common/deep-merge.ts';
import { resolveTool } from '../../../src/common/tool-path.ts';
import { defaultRoot, loadRelease } from '../../../src/release/catalog.ts';
import { kubeValues, writeValuesFile } from '../../../src/release/release-values.ts';
import { publicHostAliases, readKindValues } from '../../../src/targets/kind/kind-values.ts';

/** helm as the tests run it: from the tools cache (`upcert setup` puts it there), else from PATH. */
export const helmBin = resolveTool('helm');
export const chartDir = path.join(defaultRoot, 'fixtures/platform/chart');
export const exampleSecrets = path.join(chartDir, 'secrets-values.example.yaml');

/** The layer sets a release is rendered with: chart defaults, HA, and a kind run (HA topology). */
export const valueSets = ['default', 'ha', 'kind'] as const;
export type ValueSet = (typeof valueSets)[number];

/** An IP standing in for the control-plane node's InternalIP (the example of the Kubernetes hostAliases page). */
export const exampleNodeIp = '10.1.2.3';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are read field by field in the tests
  spec?: any;
  data?: Record<string, string>;
}

async function helm(args: string[]): Promise<string> {
  const r = await execa(helmBin, args, { reject: false, timeout: 60_000, all: true });
  if (r.exitCode !== 0) throw new Error(`helm ${args.join(' ')} exited ${r.exitCode}\n${r.all}`);
  return r.stdout;
}

/** The values a run of `set` applies to `release` (the kind target's layering: chart, HA, release, kind). */
export async function releaseValues(release: string, set: ValueSet): Promise<Values> {
  const kind = set === 'kind' ? readKindValues(defaultRoot) : undefined;
  const base = await kubeValues({
    root: defaultRoot,
    release: loadRelease(release),
    highAvailability: set !== 'default',
    valuesFiles: [],
    pinDigests: false,
    overrides: kind,
  });
  return kind ? deepMerge(base, { hostAliases: publicHostAliases(base, exampleNodeIp) }) : base;
}

/**
 * Renders `release` as a Kubernetes run installs it: the chart packaged at the release's version
 * (`helm package --version`, so `.Chart.Version` is the release's), `helm template` with the layered values
 * and the chart's example secrets.
 */
export async function renderRelease(release: string, set: ValueSet): Promise<K8sObject[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'upcert-render-'));
  try {
    const r = loadRelease(release);
    const values = await writeValuesFile(dir, `${release}-${set}`, await releaseValues(release, set));
    const out = await helm([
      'package',
      chartDir,
      '--version',
      r.chart.version,
      '--app-version',
      r.chart.version,
      '-d',
      dir,
    ]);
    const tgz = /saved it to: (\S+)/.exec(out)?.[1];
    if (!tgz) throw new Error(`helm package: unexpected output ${out}`);
    const rendered = await helm([
      'template',
      'upcert-platform',
      tgz,
      '--namespace',
      'upcert-platform',
      '-f',
      values,
      '-f',
      exampleSecrets,
    ]);
    return parseAllDocuments(rendered)
      .map((d) => d.toJS() as K8sObject | null)
      .filter((o): o is K8sObject => o !== null);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function findObject(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the render`);
  return found;
}
