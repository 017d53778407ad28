import type { Writable } from 'node:stream';
import type { SerializedError } from 'vitest';
import type { ReportedHookContext, TestCase, TestModule, TestSuite } from 'vitest/node';
import type { Reporter } from 'vitest/reporters';
import { colors, type Paint, plain } from '../common/colour.ts';
import { setLogSink } from '../common/logger.ts';
import { clock, headerLine, oneLine, type StepLine, stepLine } from './progress-format.ts';
import { Screen } from './progress-live.ts';
import { CapturedOutput, isWarning } from './progress-output.ts';

export interface ProgressOptions {
  /** where the progress goes (stderr: stdout keeps the verdict table). */
  stream: Writable & { isTTY?: boolean; columns?: number };
  env: Record<string, string | undefined>;
  /** the journey's full log (the suites' output); warnings and errors are shown too. */
  logFile: string;
  now?: () => number;
}

interface Running {
  name: string;
  depth: number;
  since: number;
}

const isCI = (env: ProgressOptions['env']) => Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0';

/** How deep a test or suite sits under the file's top-level suite (the run's title). */
function depthOf(entity: TestCase | TestSuite): number {
  let depth = 0;
  for (let p = entity.parent; p.type === 'suite'; p = p.parent) depth++;
  return depth;
}

/**
 * `upcert certify`'s progress, instead of vitest's own output: each step and check of the journey with the run's
 * clock and its duration — redrawn live on a terminal, one line per step otherwise (CI=true or no TTY) — and
 * the reason of each failure on one line. NO_COLOR is respected. The suites' log goes to `logFile`.
 */
export class ProgressReporter implements Reporter {
  readonly output: CapturedOutput;
  readonly #screen: Screen;
  readonly #paint: Paint;
  readonly #now: () => number;
  readonly #running = new Map<string, Running>();
  #start = 0;
  #restoreLog: (() => void) | undefined;
  #counts = { passed: 0, failed: 0, skipped: 0 };

  constructor(private readonly opts: ProgressOptions) {
    const tty = Boolean(opts.stream.isTTY);
    this.#screen = new Screen(opts.stream, tty && !isCI(opts.env));
    this.#paint = tty && !opts.env.NO_COLOR ? colors : plain;
    this.#now = opts.now ?? (() => performance.now());
    this.output = new CapturedOutput(opts.logFile, (line) => {
      if (isWarning(line)) this.#screen.print(this.#paint.yellow(line));
    });
  }

  get live(): boolean {
    return this.#screen.live;
  }

  onInit(): void {
    this.#start = this.#now();
    // this process's own log lines go above the live line instead of through it
    if (this.live) this.#restoreLog = setLogSink((line) => this.#screen.print(this.#paint.dim(line)));
  }

  onTestRunStart(): void {
    this.#start = this.#now();
  }

  onTestSuiteReady(suite: TestSuite): void {
    this.#screen.print(headerLine(suite.name, Math.max(0, depthOf(suite) - 1), this.#elapsed(), this.#paint));
  }

  onTestCaseReady(test: TestCase): void {
    this.#running.set(test.id, { name: test.name, depth: Math.max(0, depthOf(test) - 1), since: this.#now() });
    this.#showRunning();
  }

  onTestCaseResult(test: TestCase): void {
    const started = this.#running.get(test.id);
    this.#running.delete(test.id);
    this.#showRunning();
    const result = test.result();
    const state = result.state === 'failed' ? 'failed' : result.state === 'skipped' ? 'skipped' : 'passed';
    this.#counts[state]++;
    // the bookkeeping tests between phases say nothing when they pass
    if (state === 'passed' && test.name.startsWith('end of ')) return;
    const reason =
      result.state === 'failed'
        ? oneLine(result.errors[0]?.message ?? 'failed', test.name)
        : result.state === 'skipped'
          ? result.note
          : undefined;
    if (result.state === 'failed')
      this.output.note(`✗ ${test.fullName}\n${result.errors.map((e) => e.stack ?? e.message).join('\n')}`);
    this.#line({
      name: test.name,
      state,
      elapsedMs: this.#elapsed(),
      ...(state === 'skipped' ? {} : { durationMs: test.diagnostic()?.duration ?? 0 }),
      ...(reason ? { reason } : {}),
      depth: started?.depth ?? Math.max(0, depthOf(test) - 1),
    });
  }

  onHookStart(hook: ReportedHookContext): void {
    if (hook.name !== 'afterAll' || hook.entity.type !== 'suite' || depthOf(hook.entity) > 0) return;
    this.#running.set(`hook:${hook.entity.id}`, { name: 'write the report, clean up', depth: 0, since: this.#now() });
    this.#showRunning();
  }

  onHookEnd(hook: ReportedHookContext): void {
    const running = this.#running.get(`hook:${hook.entity.id}`);
    if (!running) return;
    this.#running.delete(`hook:${hook.entity.id}`);
    this.#showRunning();
    const errors = hook.entity.type === 'suite' ? hook.entity.errors() : [];
    const reason = errors[0] ? oneLine(errors[0].message, '') : undefined;
    this.#line({
      name: running.name,
      state: errors.length > 0 ? 'failed' : 'passed',
      elapsedMs: this.#elapsed(),
      durationMs: this.#now() - running.since,
      ...(reason ? { reason } : {}),
      depth: 0,
    });
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    this.#running.clear();
    this.#screen.stop();
    this.#restoreLog?.();
    const p = this.#paint;
    for (const module of modules) {
      for (const error of module.errors()) {
        this.output.note(error.stack ?? error.message);
        this.#screen.print(p.red(`✗ ${module.relativeModuleId}: ${oneLine(error.message, '')}`));
      }
    }
    for (const error of unhandled) {
      this.output.note(`unhandled error: ${error.stack ?? error.message}`);
      this.#screen.print(p.red(`✗ unhandled error during the run: ${oneLine(error.message, '')}`));
    }
    const { passed, failed, skipped } = this.#counts;
    const counts = `${passed} passed, ${failed > 0 ? p.red(`${failed} failed`) : '0 failed'}, ${skipped} skipped`;
    this.#screen.print(`${p.dim(clock(this.#elapsed()).padStart(5))}  done: ${counts} · log: ${this.opts.logFile}`);
  }

  #elapsed(): number {
    return this.#now() - this.#start;
  }

  #line(step: StepLine): void {
    this.#screen.print(stepLine(step, this.#paint));
  }

  #showRunning(): void {
    const current = [...this.#running.values()].at(-1);
    if (!current) {
      this.#screen.status(undefined);
      return;
    }
    const others = this.#running.size > 1 ? ` (+${this.#running.size - 1})` : '';
    this.#screen.status((spinner) =>
      stepLine(
        {
          name: `${current.name}${others}`,
          state: 'running',
          elapsedMs: this.#elapsed(),
          durationMs: this.#now() - current.since,
          depth: current.depth,
        },
        this.#paint,
        spinner,
      ),
    );
  }
}
