import type { ConsoleSignInEvidence } from '../browser/evidence.ts';
import type { UpcertConfig } from '../config/schema.ts';
import type { MigrationState } from '../db/migration-ledger.ts';
import type { LedgerSummary } from '../load/ledger-summary.ts';
import type { Phase, ReleaseManifest } from '../release/manifest.ts';

/** One replica as the target reports it (`/version` locally, the pod's imageID on Kubernetes). */
export interface RunningReplica {
  component: string;
  replica: string;
  version: string;
  digest: string;
  ready: boolean;
}

export interface LoadFigures extends LedgerSummary {
  /** the first few failures, to say what broke and when. */
  firstFailures: {
    t: number;
    consumer: string;
    replica: string;
    kind: string;
    status: number;
    failureClass: string;
    error: string;
  }[];
}

/** A difference between two fingerprints of tenant data (seed/fingerprint.ts). */
export interface RecordDiff {
  kind: string;
  id: string;
  field: string;
  before: unknown;
  after: unknown;
}

export interface BudgetFigure {
  id: string;
  level: string;
  scopeId: string;
  limitMicroUsd: number;
  spentMicroUsd: number;
}

export interface SpendEvidence {
  before: BudgetFigure[];
  after: BudgetFigure[];
  /** per budget: the cost of every request the ledger recorded as served since `before` was read. */
  ledgerCost: Record<string, number>;
  /** served requests per budget in the same window. */
  ledgerRequests: Record<string, number>;
}

export interface OrderingEvidence {
  newVersion: string;
  /** when the last of the release's new migrations was recorded (epoch ms), null when none ran. */
  migrationsCompletedAt: number | null;
  newMigrations: { name: string; appliedAt: number }[];
  /** first request answered by the new version, on the ledger's clock (epoch ms). */
  firstServedByNew: { t: number; replica: string } | null;
  /** control-plane replicas of the new version and when each became ready. */
  controlPlaneReady: { replica: string; t: number }[];
  /** what the new control plane's own logs say (clock-free: line order); absent when the target gives no logs. */
  readinessLog?: ReadinessLogEvidence;
  /** how database timestamps were put on the run's clock; comparisons allow ± the uncertainty. */
  clock?: { databaseOffsetMs: number; uncertaintyMs: number };
}

/** Every `ready` line of the new release's control-plane processes and the `migrations complete` before it. */
export interface ReadinessLogEvidence {
  /** control-plane logs of the new version that were read. */
  logs: number;
  replicas: { replica: string; log: string; readyAt: string; migratedAt: string | null }[];
}

export interface HandEditEvidence {
  setting: string;
  chartValue: string | number;
  editedValue: string | number;
  /** the edit took effect before the upgrade (every probe showed it: a refused body, an echoed tag). */
  editTookEffect: boolean;
  /** value in the live configuration after the phase. */
  liveValueAfter: string | number | null;
  /** status of the probe after the phase. */
  probeStatusAfter: number;
  /** the probe after the phase still showed the edit (a body under the chart's limit refused, the edited tag). */
  stillEditedAfter: boolean;
  /** Kubernetes: the upgrade's apply, with the field-manager conflicts the hand edit caused and how they went. */
  apply?: { command: string; conflicts: { manager: string; field: string }[]; forcedConflicts: boolean };
}

export interface SmokeEvidence {
  status: number;
  version: string;
  replica: string;
  expectedVersion: string;
  error?: string;
}

export interface BackupEvidence {
  dumpFile: string;
  dumpBytes: number;
  scratch: string;
  liveFingerprint: string;
  restoredFingerprint: string;
  diffs: RecordDiff[];
}

export interface BudgetMismatch {
  id: string;
  expected: number;
  actual: number;
}

export interface RollbackEvidence {
  mode: 'schema-compatible' | 'restore-required';
  release: string;
  /** replicas not running N (version or digest), from the target. */
  notN: string[];
  migrationHead: string | null;
  /** N's head after a restore; N+1's after a schema-compatible rollback (N runs on it, by the release's word). */
  expectedHead: string;
  /** tenant configuration differences from the pre-upgrade snapshot (spend aside). */
  configDiffs: RecordDiff[];
  /** budgets whose spend is not what the ledger and the snapshot (or the backup) say. */
  spendMismatches: BudgetMismatch[];
  spendBasis: string;
  /** a restore-required rollback: the outage and what the restore lost. */
  restore?: {
    outageMs: number | null;
    lostRequests: number;
    lostMicroUsd: number;
    /** budgets whose lost spend differs from the ledger's cost of the requests served after the backup. */
    lostMismatches: BudgetMismatch[];
  };
  gatewayStatus: number;
  gatewayVersion: string;
  consoleStatus: number;
}

/** What the checks read from a certification run; the journey implements it per target. */
export interface CheckRun {
  config: UpcertConfig;
  digestKind: 'artifact' | 'image';
  expectedRelease(phase: Phase): ReleaseManifest;
  runningReplicas(): Promise<RunningReplica[]>;
  loadFigures(phase: Phase): LoadFigures;
  migrationState(): Promise<MigrationState>;
  ordering(phase: Phase): Promise<OrderingEvidence>;
  /** differences in one kind of tenant record between the pre-upgrade snapshot and now, plus functional probes. */
  preservation(
    kind: 'consumers' | 'providers' | 'guardrails',
    phase: Phase,
  ): Promise<{ diffs: RecordDiff[]; probes: string[]; records: number }>;
  spend(phase: Phase): Promise<SpendEvidence>;
  handEdit(phase: Phase): Promise<HandEditEvidence>;
  smoke(phase: Phase): Promise<SmokeEvidence>;
  /** console-sign-in: a fresh sign-in in a real browser, and the session opened before the upgrade. */
  consoleSignIn(phase: Phase): Promise<ConsoleSignInEvidence>;
  backup(): Promise<BackupEvidence>;
  rollback(): Promise<RollbackEvidence>;
  /** the head the migration ledger must be at after a phase. */
  expectedMigrationHead(phase: Phase): string;
}
