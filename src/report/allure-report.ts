import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { BadInputError, EnvironmentError } from '../common/errors.ts';

const require = createRequire(import.meta.url);

/** The `allure` command line (npm package `allure`, Allure Report 3), as a script node can run. */
export function allureCli(): string {
  try {
    // the package exports only its library (dist/index.js); its command line sits next to dist/
    const cli = path.join(path.dirname(require.resolve('allure')), '..', 'cli.js');
    if (!existsSync(cli)) throw new Error(`${cli} is missing`);
    return cli;
  } catch (error) {
    throw new EnvironmentError('report: the allure command line is not installed', {
      fix: 'npm install --save-dev allure@3.18',
      cause: error,
    });
  }
}

/** Allure 3's report adds a Google Analytics tag; a report of a certification run phones nobody. */
export function withoutAnalytics(html: string): string {
  return html.replace(
    /<script async src="https:\/\/www\.googletagmanager\.com\/[^"]*"><\/script>\s*<script>[\s\S]*?gtag\('config'[\s\S]*?<\/script>/,
    '',
  );
}

/**
 * Turns `<runDir>/allure-results` into an Allure HTML report, `<runDir>/allure-report/index.html`: one file that
 * opens from disk with no server and no network (Allure 3, single-file mode, grouped by phase then check).
 */
export async function generateAllureReport(runDir: string, opts: { timeoutMs?: number } = {}): Promise<string> {
  const results = path.join(runDir, 'allure-results');
  const files = existsSync(results) ? await readdir(results) : [];
  if (!files.some((f) => f.endsWith('-result.json'))) {
    throw new BadInputError(`report: no Allure results in ${results} (run \`upcert certify\` first)`, {
      field: 'run-dir',
    });
  }
  const output = path.join(runDir, 'allure-report');
  await rm(output, { recursive: true, force: true });
  const scratch = await mkdtemp(path.join(tmpdir(), 'upcert-allure-'));
  try {
    const config = path.join(scratch, 'allurerc.json');
    const name = `upcert ${path.basename(path.resolve(runDir))}`;
    const options = { singleFile: true, reportName: name, groupBy: ['parentSuite', 'suite', 'subSuite'] };
    await writeFile(config, JSON.stringify({ name, plugins: { awesome: { options } } }));
    const run = await execa(
      process.execPath,
      [allureCli(), 'generate', results, '--output', output, '--config', config],
      {
        cwd: scratch,
        reject: false,
        all: true,
        timeout: opts.timeoutMs ?? 120_000,
        env: { NO_COLOR: '1', FORCE_COLOR: '0' },
      },
    );
    const index = path.join(output, 'index.html');
    if (run.exitCode !== 0 || !existsSync(index)) {
      const tail = (run.all ?? '').split('\n').slice(-15).join('\n');
      throw new Error(`report: allure generate failed (exit ${run.exitCode ?? run.signal}) for ${results}:\n${tail}`);
    }
    await writeFile(index, withoutAnalytics(await readFile(index, 'utf8')));
    return index;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
