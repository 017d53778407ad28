import type { RunState } from '../checks/run-state.ts';
import { readMigrationState } from '../db/migration-ledger.ts';

/**
 * Samples the migration ledger while a rollout runs and puts every change of its head on the timeline, so a
 * reader sees when the migrations ran relative to the rollout and the traffic. Stops with the returned function.
 */
export function sampleMigrations(run: RunState, everyMs = 250): () => Promise<void> {
  const platform = run.requirePlatform();
  // a platform without a migration ledger has nothing to sample
  if (!run.to.migrations) return async () => undefined;
  const { ledger, table } = run.to.migrations;
  let head: string | null | undefined;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const state = await readMigrationState((sql, p) => platform.database.query(sql, p), ledger, table);
        if (state.head !== head) {
          head = state.head;
          run.timeline.add({ kind: 'migration-head', detail: { head, problems: state.problems } });
        }
      } catch {
        // the database may be briefly unavailable (a restore); the next sample tells
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}
