import type { Paint } from '../common/colour.ts';
/** The lines of `upcert certify`'s progress: one per finished step or check, with the time since the start. */

export type StepState = 'passed' | 'failed' | 'skipped' | 'running';

export interface StepLine {
  name: string;
  state: StepState;
  /** ms since the run started, when the line is printed. */
  elapsedMs: number;
  /** ms the step took (or has taken so far). */
  durationMs?: number;
  /** why it failed or was skipped: one line. */
  reason?: string;
  depth: number;
}

/** `0:07`, `12:30`: the run's clock. */
export function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** `7 ms`, `3.7 s`, `2 min 05 s`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** The first line of a message, without the test's own name in front, at most `max` characters. */
export function oneLine(message: string, name: string, max = 160): string {
  let line = (message.split('\n').find((l) => l.trim()) ?? '').trim();
  const prefix = `${name} failed: `;
  if (line.startsWith(prefix)) line = line.slice(prefix.length);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

const marks: Record<StepState, (p: Paint) => string> = {
  passed: (p) => p.green('✓'),
  failed: (p) => p.red('✗'),
  skipped: (p) => p.yellow('↓'),
  running: (p) => p.cyan('…'),
};

export function stepLine(step: StepLine, paint: Paint, spinner?: string): string {
  const mark = spinner ? paint.cyan(spinner) : marks[step.state](paint);
  const took = step.durationMs === undefined ? '' : `  ${paint.dim(duration(step.durationMs))}`;
  const name = step.state === 'failed' ? paint.red(step.name) : step.name;
  const why = step.reason ? `  ${step.state === 'failed' ? paint.red(step.reason) : paint.dim(step.reason)}` : '';
  return `${paint.dim(clock(step.elapsedMs).padStart(5))}  ${'  '.repeat(step.depth)}${mark} ${name}${took}${why}`;
}

export function headerLine(title: string, depth: number, elapsedMs: number, paint: Paint): string {
  return `${paint.dim(clock(elapsedMs).padStart(5))}  ${'  '.repeat(depth)}${paint.bold(paint.cyan(title))}`;
}
