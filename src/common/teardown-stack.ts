import type { Logger } from './logger.ts';

/**
 * Teardown steps run in reverse order of setup; every step runs even when an earlier one fails. The
 * first failure is thrown only when there is no original error to report (teardown never masks it).
 */
export class TeardownStack {
  private readonly steps: { name: string; run: () => Promise<void> }[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly log: Logger) {}

  push(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }

  /** Runs every step once (later calls wait for the same run). */
  dispose(original?: unknown): Promise<void> {
    this.running ??= this.runAll(original);
    return this.running;
  }

  private async runAll(original: unknown): Promise<void> {
    let first: unknown;
    for (const step of this.steps.reverse()) {
      try {
        await step.run();
      } catch (error) {
        this.log.warn(`teardown: ${step.name} failed`, { error: String((error as Error)?.message ?? error) });
        first ??= error;
      }
    }
    if (first !== undefined && original === undefined) throw first;
  }
}
