import type { ConsoleBrowser } from '../browser/console-browser.ts';
import { runClock } from '../common/clock.ts';
import { createLogger } from '../common/logger.ts';
import type { RolloutEvent } from '../common/rollout-event.ts';
import { Timeline } from '../common/timeline.ts';
import type { UpcertConfig } from '../config/schema.ts';
import { Ledger } from '../load/ledger.ts';
import type { ProbeAnswer } from '../load/probe.ts';
import type { RunningLoad } from '../load/running-load.ts';
import type { UnsupportedFeatures } from '../platform/features.ts';
import type { PlatformProfile } from '../platform/profile.ts';
import type { AdapterTenants, TenantAdapter, TenantAdapterContext } from '../platform/tenant-adapter.ts';
import type { AnyRelease } from '../release/catalog.ts';
import type { Phase } from '../release/manifest.ts';
import type { HarnessFault, HarnessFaultSink } from '../report/harness-fault.ts';
import type { Fingerprint, SeededTenants } from '../seed/index.ts';
import { platformLacks } from '../targets/abilities.ts';
import type { TargetProvider } from '../targets/provider.ts';
import type { DigestKind, InstalledPlatform, LiveEdit } from '../targets/target.ts';
import type { CheckResult } from './check-result.ts';
import { ComponentHealth } from './component-health.ts';
import type { ConfigLiveResult } from './config-live/judge.ts';
import type { BudgetFigure } from './evidence/budget-figure.ts';

const log = createLogger('harness');

/** The spend of the seeded budgets read at one moment (ledger clock), with no request in flight. */
export interface SpendReading {
  t: number;
  budgets: BudgetFigure[];
}

export interface RestoreRecord {
  loadStoppedAt: number;
  restoredAt: number;
  /** first request served after the load resumed (the end of the outage window). */
  servedAgainAt: number | null;
  /** spend of the seeded budgets just before the restore (load stopped, settled). */
  spendBeforeRestore: BudgetFigure[];
}

/**
 * The requests the journey sent through the gateway after a phase, before its checks (`probe-step.ts`), so
 * that gathering only reads: each answer, or why the probe could not be sent.
 */
export interface PhaseProbes {
  /** rows of the phase's ledger before these probes: the load's own (what its checks judge). */
  loadRows: number;
  smoke?: ProbeAnswer | { error: string };
  /** whether the gateway still shows the hand edit after the phase (hand-edits-reconciled). */
  handEdit?: { edited: boolean; status: number } | { error: string };
  /** functional probes of the preserved records that failed, by kind (empty when all answered as meant). */
  functional: Partial<Record<'consumers' | 'providers' | 'guardrails', string[] | { error: string }>>;
}

export interface HandEditState {
  /** which of the platform's hand-edit settings (`src/journey/hand-edit-settings.ts`). */
  id: string;
  /** the component whose live configuration was edited, and the dotted path edited. */
  component: LiveEdit['component'];
  setting: string;
  chartValue: string | number;
  editedValue: string | number;
  editTookEffect: boolean;
}

/** One hop of a multi-hop path (v1.7.0 → v1.8.0 → v1.9.0): each hop is certified in the same platform's life. */
export interface HopOf {
  /** 1-based. */
  index: number;
  /** the whole path, from its first release to its last. */
  path: string[];
  /** the hop before this one: its platform and tenants are taken over. */
  previous: RunState | undefined;
  /** only the path's last hop rolls back (and tears the platform down). */
  last: boolean;
}

/**
 * Everything one certification run knows, filled in step by step along the journey (`src/journey`) and read
 * by the checks' gatherers. One ledger per load phase, one timeline on the ledger's clock.
 */
export class RunState {
  readonly clock = runClock;
  readonly timeline = new Timeline(this.clock);
  readonly ledgers = new Map<Phase, Ledger>();
  readonly results: CheckResult[] = [];
  readonly stepFailures: { step: string; error: string }[] = [];
  /** faults of upcert itself (the verdict is then inconclusive); recorded with `harnessFault`. */
  readonly harnessFaults: HarnessFault[] = [];
  /** each load's asked rate and the rate it achieved, second by second (certificate `load.rates`). */
  readonly loadRates: { load: string; asked: number; achievedPerSec: number[]; shortSeconds: number }[] = [];
  readonly startedAt = new Date();
  platform: InstalledPlatform | undefined;
  seeded: SeededTenants | undefined;
  /** fingerprints of the tenant data before the upgrade (API and database). */
  before: { api: Fingerprint; database: Fingerprint } | undefined;
  /** spend around each load phase. */
  spend = new Map<Phase, { before: SpendReading; after?: SpendReading }>();
  handEdit: HandEditState | undefined;
  /** the tenants a platform's tenant adapter created (removed at the end of the run). */
  tenantAdapter: { adapter: TenantAdapter; ctx: TenantAdapterContext; tenants: AdapterTenants } | undefined;
  /** the run's one browser and the console session opened before the upgrade (closed by `finish`). */
  consoleBrowser: ConsoleBrowser | undefined;
  /** the pre-upgrade dump; `temporary`: outside the report, deleted at the end (a shared cluster without --keep-backup). */
  backup: { file: string; bytes: number; fingerprint: Fingerprint; t: number; temporary?: boolean } | undefined;
  /** a restore-required rollback: when the load stopped, the restore ran, service came back; spend it lost. */
  restore: RestoreRecord | undefined;
  /** what config-live found in each phase (its changes are made by the phase's step). */
  readonly configLive = new Map<Phase, ConfigLiveResult>();
  /** when each phase's rollout ran (ledger clock). */
  rollouts = new Map<Phase, { start: number; end?: number }>();
  /** the gateway probes of each phase (written by the probe step, read by the checks). */
  readonly probes = new Map<Phase, PhaseProbes>();
  /** evidence computed once and shared by several checks of a phase. */
  readonly memo = new Map<string, Promise<unknown>>();
  /** every replica's (and PostgreSQL's) health over the whole run, not only during rollouts. */
  readonly health = new ComponentHealth(this.startedAt.getTime());
  /** target events already put on the timeline by a step's sink (install, upgrade, rollback). */
  readonly onTimeline = new WeakSet<RolloutEvent>();
  /** aborted on Ctrl-C/SIGTERM: every step's waits end, and no step starts anything new. */
  readonly interrupt = new AbortController();
  /** the loads running now (a phase's load, the skew probe's): an interrupt stops them before teardown. */
  readonly runningLoads = new Set<RunningLoad>();
  /** set when a step failed or the run was interrupted: later steps skip. */
  halted: string | undefined;
  /** why the target refused the rollback (an existing cluster without --allow-destructive): its checks are not-supported. */
  rollbackRefused: string | undefined;
  /** set when a step failed whose phase's checks still run: the later phases skip. */
  haltAfterPhase: string | undefined;
  /** why this run does not roll back (an intermediate hop of a path): its rollback checks are skipped. */
  rollbackSkipped: string | undefined;
  /** set when the run is one hop of a multi-hop path. */
  hop: HopOf | undefined;

  constructor(
    readonly config: UpcertConfig,
    readonly from: AnyRelease,
    readonly to: AnyRelease,
    readonly runId: string,
    readonly reportDir: string,
    /** The target's declarations: how it identifies what runs, what it cannot offer, how to create it. */
    readonly provider: TargetProvider,
    /** The platform certified (`--platform`): how it runs, how the gateway is spoken to, what it cannot offer. */
    readonly profile: PlatformProfile,
  ) {
    this.digestKind = provider.digestKind;
  }

  /** How the target identifies what runs (`release-pinned`, `rollback-clean`). */
  readonly digestKind: DigestKind;

  /**
   * The features the run cannot offer, with the reason: what the target declares before anything starts,
   * and, once installed, what the platform's abilities lack. A check that needs one is not-supported.
   */
  get unsupported(): UnsupportedFeatures {
    const lacks = this.platform ? platformLacks(this.platform, this.provider.name) : {};
    // the platform's own reason first: what the product lacks explains more than how the target would reach it
    return { ...this.provider.unsupported(this.config), ...lacks, ...this.profile.unsupported };
  }

  /**
   * Records a fault of the harness itself (a lost tunnel, a generator behind its rate, a report file not
   * written): logged, marked on the timeline, listed in the certificate; the verdict becomes inconclusive.
   * A bound function: hand it to code far from the run as a `HarnessFaultSink`.
   */
  readonly harnessFault: HarnessFaultSink = ({ source, reason }) => {
    const atMs = Math.max(0, Math.round(Date.now() - this.startedAt.getTime()));
    this.harnessFaults.push({ source, reason, atMs });
    this.timeline.add({ kind: 'harness-fault', component: source, detail: reason });
    log.warn(`harness fault (${source}): ${reason}; the verdict cannot be better than inconclusive`);
  };

  /**
   * Hears every event of the platform's whole life (the target's own listener): health is recorded, and what no
   * step's sink put on the timeline (a replica that dies or stops answering between rollouts) is added to it.
   */
  readonly platformEvent = (event: RolloutEvent): void => {
    this.health.record(event);
    queueMicrotask(() => {
      if (!this.onTimeline.has(event) && event.kind !== 'rollout-started') this.timeline.add(event);
    });
  };

  /** The interrupt's signal, for every wait of a step. */
  get signal(): AbortSignal {
    return this.interrupt.signal;
  }

  ledger(phase: Phase): Ledger {
    let ledger = this.ledgers.get(phase);
    if (!ledger) {
      ledger = new Ledger();
      this.ledgers.set(phase, ledger);
    }
    return ledger;
  }

  /** The release that must be running after a phase. */
  expectedRelease(phase: Phase): AnyRelease {
    return phase === 'upgrade' ? this.to : this.from;
  }

  requirePlatform(): InstalledPlatform {
    if (!this.platform) throw new Error('the platform is not installed');
    return this.platform;
  }

  requireSeeded(): SeededTenants {
    if (!this.seeded) throw new Error('no tenants were seeded');
    return this.seeded;
  }
}
