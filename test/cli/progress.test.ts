import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVitest } from 'vitest/node';
import { ProgressReporter } from '../../src/cli/progress.ts';

/** A journey in miniature: a step that logs, a passing, a failing and a skipped check, bookkeeping, a final hook. */
const spec = `
describe('certify vA → vB on local', () => {
  afterAll(() => new Promise((r) => setTimeout(r, 120)));
  describe('install N and seed it', () => {
    test('prepare the target and install N', async () => {
      process.stderr.write('2026-11-27T00:00:00.000Z info  [install] a detail only the log file needs\\n');
      process.stderr.write('2026-11-27T00:00:00.001Z warn  [scratch] something the user should know\\n');
      await new Promise((r) => setTimeout(r, 150));
    });
    describe('checks (install)', () => {
      test('release-pinned (install)', () => {});
      test('gateway-smoke (install)', () => {
        throw new Error('gateway-smoke (install) failed: gateway answered 401\\nsecond line of the message');
      });
      test('budgets-preserved (install)', (ctx) => ctx.skip('skipped: --skip budgets-preserved'));
      test('end of install', () => {});
    });
  });
});
`;

class Terminal extends Writable {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns = 120,
  ) {
    super();
  }
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('upcert certify progress', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'upcert-progress-'));
    await writeFile(path.join(dir, 'journey.spec.ts'), spec);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function run(terminal: Terminal, env: Record<string, string>, name: string) {
    const logFile = path.join(dir, name, 'upcert.log');
    const progress = new ProgressReporter({ stream: terminal, env, logFile });
    const vitest = await startVitest(
      'test',
      [],
      {
        root: dir,
        config: false,
        watch: false,
        globals: true,
        include: ['journey.spec.ts'],
        pool: 'forks',
        reporters: [progress],
      },
      undefined,
      { stdout: progress.output.stdout, stderr: progress.output.stderr },
    );
    await vitest?.close();
    return { out: terminal.text, log: await readFile(logFile, 'utf8') };
  }

  it('prints one line per step with the run clock in CI, no colour, no redraw, the reason on one line', async () => {
    const { out, log } = await run(new Terminal(false), { CI: 'true' }, 'ci');
    // the suites' output arrives through a pipe: its lines may come before or after the steps around them
    const lines = out
      .trimEnd()
      .split('\n')
      .filter((l) => !l.includes(' warn  ['));
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\r');
    expect(lines[0]).toMatch(/^ 0:00 {2}certify vA → vB on local$/);
    expect(lines).toContainEqual(expect.stringMatching(/^ 0:00 {2}install N and seed it$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ 0:0\d {4}✓ prepare the target and install N {2}\d+ ms$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ 0:0\d {6}✓ release-pinned \(install\) {2}\d+ ms$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^ 0:0\d {6}✗ gateway-smoke \(install\) {2}\d+ ms {2}gateway answered 401$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^ 0:0\d {6}↓ budgets-preserved \(install\) {2}skipped: --skip budgets-preserved$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/✓ write the report, clean up {2}\d+ ms$/));
    expect(out).not.toContain('end of install');
    expect(out).not.toContain('second line of the message');
    // the suites' log: warnings shown, the rest only in the log file (with the failure's full text)
    expect(out).toContain('warn  [scratch] something the user should know');
    expect(out).not.toContain('a detail only the log file needs');
    expect(log).toContain('a detail only the log file needs');
    expect(log).toContain('second line of the message');
    expect(lines.at(-1)).toMatch(/^ 0:0\d {2}done: 3 passed, 1 failed, 1 skipped · log: .*ci\/upcert\.log$/);
  });

  it('treats a terminal as CI when CI=true, and NO_COLOR removes colour', async () => {
    const { out } = await run(new Terminal(true), { CI: 'true', NO_COLOR: '1' }, 'ci-tty');
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\r');
    expect(out).toMatch(/✗ gateway-smoke \(install\) {2}\d+ ms {2}gateway answered 401\n/);
  });

  it('redraws the running step in place on a terminal, in colour unless NO_COLOR', async () => {
    const colour = await run(new Terminal(true), {}, 'tty');
    expect(colour.out).toContain('\r\u001b[2K');
    const esc = '\u001b';
    expect(colour.out).toMatch(new RegExp(`${esc}\\[36m[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]${esc}\\[39m prepare the target and install N`));
    expect(colour.out).toContain('\u001b[31m✗\u001b[39m');
    // a terminal that does not know its width (columns 0) still shows the running step
    const noColour = await run(new Terminal(true, 0), { NO_COLOR: '1' }, 'tty-plain');
    expect(noColour.out.split('\r\u001b[2K')).toContainEqual(
      expect.stringMatching(/^ 0:00 {4}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] prepare the target and install N {2}\d+ ms$/),
    );
    expect(noColour.out).toContain('\r\u001b[2K');
    expect(noColour.out.replaceAll('\r\u001b[2K', '')).not.toContain('\u001b');
  });
});
