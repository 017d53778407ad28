import type { ConsoleSignInEvidence } from '../browser/evidence.ts';
import type {
  BackupEvidence,
  CheckRun,
  HandEditEvidence,
  LoadFigures,
  OrderingEvidence,
  RecordDiff,
  RollbackEvidence,
  RunningReplica,
  SmokeEvidence,
  SpendEvidence,
} from '../checks/run.ts';
import { readMigrationState } from '../db/migration-ledger.ts';
import type { Phase, ReleaseManifest } from '../release/manifest.ts';
import { ledgerFigures } from './ledger-figures.ts';
import { ordering } from './ordering.ts';
import { preservation } from './preservation.ts';
import { restoredBackup } from './restore-check.ts';
import { rollbackEvidence } from './rollback-evidence.ts';
import type { RunState } from './run-state.ts';
import { consoleSignInEvidence } from './sign-in.ts';
import { handEditAfter, smoke } from './smoke.ts';
import { spendEvidence } from './spend-evidence.ts';

/** The checks' view of a run (checks/run.ts), gathered from the run's state and the live platform. */
export class JourneyEvidence implements CheckRun {
  constructor(private readonly run: RunState) {}

  get config() {
    return this.run.config;
  }

  get digestKind(): 'artifact' | 'image' {
    return this.run.config.target === 'local' ? 'artifact' : 'image';
  }

  expectedRelease(phase: Phase): ReleaseManifest {
    return this.run.expectedRelease(phase);
  }

  async runningReplicas(): Promise<RunningReplica[]> {
    const components = await this.run.requirePlatform().components();
    return components
      .filter((c) => c.name !== 'provider-mock')
      .flatMap((c) =>
        c.replicas.map((r) => ({
          component: c.name,
          replica: r.id,
          version: r.version,
          digest: r.digest ?? '(no answer)',
          ready: r.ready,
        })),
      );
  }

  loadFigures(phase: Phase): LoadFigures {
    return ledgerFigures(this.run.ledger(phase));
  }

  migrationState() {
    const platform = this.run.requirePlatform();
    const { ledger, table } = this.run.to.migrations;
    return readMigrationState((sql, p) => platform.database.query(sql, p), ledger, table);
  }

  ordering(phase: Phase): Promise<OrderingEvidence> {
    return ordering(this.run, phase);
  }

  preservation(
    kind: 'consumers' | 'providers' | 'guardrails',
    phase: Phase,
  ): Promise<{ diffs: RecordDiff[]; probes: string[]; records: number }> {
    return preservation(this.run, kind, phase);
  }

  async spend(phase: Phase): Promise<SpendEvidence> {
    return spendEvidence(this.run, phase);
  }

  handEdit(phase: Phase): Promise<HandEditEvidence> {
    return handEditAfter(this.run, phase);
  }

  smoke(phase: Phase): Promise<SmokeEvidence> {
    return smoke(this.run, phase);
  }

  consoleSignIn(phase: Phase): Promise<ConsoleSignInEvidence> {
    return consoleSignInEvidence(this.run, phase);
  }

  backup(): Promise<BackupEvidence> {
    return restoredBackup(this.run);
  }

  rollback(): Promise<RollbackEvidence> {
    return rollbackEvidence(this.run, this);
  }

  expectedMigrationHead(phase: Phase): string {
    // After a schema-compatible rollback the schema stays at N+1's head: N runs on it, by the release's word.
    if (phase === 'rollback' && this.run.to.rollback === 'schema-compatible') return this.run.to.migrations.head;
    return this.run.expectedRelease(phase).migrations.head;
  }
}
