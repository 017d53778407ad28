import type { RunState } from '../checks/run-state.ts';
import { createLogger } from '../common/logger.ts';
import type { EventSink } from '../common/rollout-event.ts';
import type { InstalledPlatform } from '../targets/target.ts';

const log = createLogger('install');

/** Rollout events into the run's timeline (they already carry the ledger's clock). */
export function timelineSink(run: RunState): EventSink {
  return (e) => {
    run.onTimeline.add(e);
    run.timeline.add(e);
  };
}

/** Step 2: install release N on the target and wait until every replica is ready. */
export async function installFrom(run: RunState): Promise<InstalledPlatform> {
  const { runId, reportDir, clock, to, harnessFault, platformEvent } = run;
  const target = await run.provider.create(run.config, {
    runId,
    reportDir,
    clock,
    to,
    harnessFault,
    onEvent: platformEvent,
  });
  run.timeline.mark('install-started', run.from.name);
  log.info(`installing ${run.from.name} on ${target.name}`);
  const platform = await target.install(run.from, { timeline: timelineSink(run) });
  run.platform = platform;
  // a product without a readiness endpoint: what "ready" meant for it, in the report
  for (const [component, start] of Object.entries(run.profile.start ?? {})) {
    run.timeline.mark('readiness', `${component}: GET ${start.readiness.httpGet}: ${start.readiness.note}`);
  }
  run.timeline.mark('install-complete', run.from.name);
  return platform;
}
