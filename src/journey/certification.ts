import { AssertionError } from 'node:assert';
import path from 'node:path';
import { describe, test } from 'vitest';
import { checksFor } from '../checks/registry.ts';
import { RunState } from '../checks/run-state.ts';
import { endProcessOnInterrupt, onInterrupt } from '../common/child-registry.ts';
import { createLogger } from '../common/logger.ts';
import { resolveConfig } from '../config/resolve.ts';
import type { UpcertConfig } from '../config/schema.ts';
import { loadPlatform } from '../platform/profile.ts';
import { loadPlatformRelease } from '../release/catalog.ts';
import type { Phase } from '../release/manifest.ts';
import { targetProvider } from '../targets/providers.ts';
import { evaluate } from './evaluate.ts';
import { finishTimeoutMs, keepServing } from './keep.ts';
import { leaveNothingBehind } from './leave-nothing.ts';
import { probeAfterPhase } from './probe-step.ts';
import { writeReport } from './report-step.ts';
import { newRunId } from './run-id.ts';
import { stepLimits } from './step-limits.ts';

const log = createLogger('journey');
/** On an interrupt, requests still in flight get this long before they are recorded as timeouts. */
const interruptDrainMs = 1000;

/** What `upcert certify` hands the suites (vitest `provide`): the resolved configuration and the run's id. */
export interface CertificationInput {
  config: UpcertConfig;
  runId: string;
}

/**
 * The suites' handle on one certification run: `step` declares a step of the journey (a test that records
 * its failure and halts the later steps when it must), `checks` declares every check of a phase (a test per
 * check), `finish` writes the report and tears the platform down.
 */
export class Certification {
  readonly run: RunState;
  /** vitest's limits, derived from the `timeouts` configuration with a margin. */
  readonly limits: ReturnType<typeof stepLimits>;

  constructor(input: CertificationInput, hop?: { index: number; path: string[]; previous?: Certification }) {
    const { config } = input;
    this.limits = stepLimits(config);
    const runDir = path.resolve(config.reportDir, input.runId);
    const provider = targetProvider(config.target);
    const profile = loadPlatform(config.platform);
    const loadRelease = (name: string) => loadPlatformRelease(name, profile);
    if (hop) {
      const [from, to] = [hop.path[hop.index - 1]!, hop.path[hop.index]!];
      const reportDir = path.join(runDir, hopDirName(hop.index, from, to));
      this.run = new RunState(
        config,
        loadRelease(from),
        loadRelease(to),
        `${input.runId}.hop-${hop.index}`,
        reportDir,
        provider,
        profile,
      );
      const last = hop.index === hop.path.length - 1;
      this.run.hop = { index: hop.index, path: hop.path, previous: hop.previous?.run, last };
    } else {
      this.run = new RunState(
        config,
        loadRelease(config.from),
        loadRelease(config.to),
        input.runId,
        runDir,
        provider,
        profile,
      );
    }
    // Ctrl-C/SIGTERM: the process-wide cleanup runs this first (registered before any platform), so the report
    // of the interrupted run is written while the platform it describes is still there to collect logs from.
    // The order is what a user relies on: the running step is aborted and its load stopped first (no request hits
    // a platform being torn down), then the report, then the platform goes (its own interrupt cleanup, after this).
    this.unregisterInterrupt = onInterrupt(() => this.interrupted());
    // in vitest's worker process.exit throws: after the interrupt the halted run ends on its own (every later
    // step and check skips), and the CLI waits for it
    endProcessOnInterrupt(false);
  }

  private readonly unregisterInterrupt: () => void;

  private async interrupted(): Promise<void> {
    const { run } = this;
    run.halted ??= 'interrupted';
    run.stepFailures.push({ step: 'interrupted', error: 'the run was interrupted (SIGINT/SIGTERM)' });
    run.interrupt.abort(new Error('interrupted'));
    const loads = [...run.runningLoads];
    await Promise.all(loads.map((load) => load.stop({ drainMs: interruptDrainMs }).catch(() => undefined)));
    if (loads.length > 0) run.timeline.mark('load-stopped', `interrupted: ${loads.length} load(s) stopped`);
    run.timeline.mark('teardown-started', 'interrupted: report, then stop the platform');
    await this.report();
    await run.consoleBrowser?.close();
    // nothing of the run is left on a shared cluster: its tenants, its hand edit, then tunnels and temp files
    await leaveNothingBehind(run);
  }

  private reported: Promise<void> | undefined;

  /** Writes the report once (the normal end and an interrupt may both ask). */
  report(): Promise<void> {
    this.reported ??= writeReport(this.run).then((certificate) => {
      log.info(`verdict: ${certificate.verdict} (${this.run.reportDir})`);
    });
    return this.reported;
  }

  get title(): string {
    const hop = this.run.hop ? ` (hop ${this.run.hop.index} of ${this.run.hop.path.join(' → ')})` : '';
    return `certify ${this.run.from.name} → ${this.run.to.name} on ${this.run.config.target}${hop}`;
  }

  /** A later hop of a path: it takes over the platform the previous hop upgraded instead of installing. */
  get takesOver(): boolean {
    return (this.run.hop?.index ?? 1) > 1;
  }

  /** A step of the journey. `halts: false` lets the phase's checks still run after it failed (they say what broke). */
  step(
    name: string,
    action: (run: RunState) => Promise<unknown>,
    opts: { halts?: boolean; timeoutMs?: number } = {},
  ): void {
    test(name, { timeout: opts.timeoutMs ?? this.limits.stepMs }, async (ctx) => {
      if (this.run.halted) ctx.skip(`not run: ${this.run.halted}`);
      const started = Date.now();
      this.run.timeline.add({ kind: 'step-started', detail: name });
      try {
        await action(this.run);
        this.run.timeline.add({ kind: 'step-done', detail: name });
        log.info(`${name}: done in ${Date.now() - started} ms`);
      } catch (error) {
        this.run.timeline.add({ kind: 'step-failed', detail: name });
        const message = (error as Error).message;
        this.run.stepFailures.push({ step: name, error: message });
        if (opts.halts !== false) this.run.halted ??= `${name} failed`;
        else this.run.haltAfterPhase ??= `${name} failed`;
        throw error;
      }
    });
  }

  /** The phase's gateway probes (a step: they write the ledger), then one test per check of the phase. */
  checks(phase: Phase): void {
    describe(`checks (${phase})`, () => {
      this.step(`probe the gateway after the ${phase}`, (run) => probeAfterPhase(run, phase));
      for (const check of checksFor(phase)) {
        test(`${check.id} (${phase})`, { timeout: this.limits.checkMs }, async (ctx) => {
          const result = await evaluate(this.run, check, phase);
          if (result.status === 'skipped' || result.status === 'not-supported')
            ctx.skip(`${result.status}: ${result.summary}`);
          // an assertion error: reporters (Allure) show a check that judged `failed` as failed, not broken
          if (result.status === 'failed')
            throw new AssertionError({ message: `${check.id} (${phase}) failed: ${result.summary}` });
        });
      }
      test(`end of ${phase}`, () => {
        if (this.run.haltAfterPhase) this.run.halted ??= this.run.haltAfterPhase;
      });
    });
  }

  /** The last hook's deadline: `--keep` serves until Ctrl-C. */
  get finishTimeoutMs(): number {
    return finishTimeoutMs(this.run.config.keep && this.run.provider.keepServesInForeground, this.limits.finishMs);
  }

  /** Writes the report (always) and stops everything the run started (with `--keep`, at Ctrl-C). */
  async finish(): Promise<void> {
    // the run ends normally from here: a signal from now on is no interrupt of it (no "stopping" warning)
    if (!this.run.signal.aborted) this.unregisterInterrupt();
    try {
      await this.report();
    } finally {
      await this.run.consoleBrowser?.close();
      // an intermediate hop hands its platform on; the last one tears it down (taken over or not)
      if (!this.run.hop || this.run.hop.last) await this.tearDown();
    }
  }

  private async tearDown(): Promise<void> {
    this.run.platform ??= platformOfPath(this.run);
    // --keep on the local target: the whole platform keeps serving in the foreground until Ctrl-C, then goes; a
    // Kubernetes target's platform outlives the run on its own
    const local = this.run.provider.keepServesInForeground;
    if (this.run.platform && this.run.config.keep && local && !this.run.signal.aborted) await keepServing(this.run);
    await leaveNothingBehind(this.run);
    if (this.run.platform && this.run.config.keep) {
      if (local) await this.run.platform[Symbol.asyncDispose]();
      else log.warn('--keep: the platform is left running');
    }
  }
}

/** A hop's report directory inside the path's run directory. */
export function hopDirName(index: number, from: string, to: string): string {
  return `hop-${index}-${from}-${to}`;
}

function platformOfPath(run: RunState): RunState['platform'] {
  for (let r: RunState | undefined = run; r; r = r.hop?.previous) if (r.platform) return r.platform;
  return undefined;
}

/**
 * The certifications the suites run: the one `upcert certify` provided, else the configuration's defaults;
 * a path (`--through`) gives one certification per hop, in order, in one platform's life.
 */
export function openCertifications(provided: CertificationInput | undefined): Certification[] {
  const config = provided?.config ?? resolveConfig();
  const input = provided ?? { config, runId: newRunId(config.from, config.to) };
  if (config.through.length === 0) return [new Certification(input)];
  const path = [config.from, ...config.through, config.to];
  const hops: Certification[] = [];
  for (let index = 1; index < path.length; index++) {
    hops.push(new Certification(input, { index, path, previous: hops.at(-1) }));
  }
  return hops;
}
