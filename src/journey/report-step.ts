import path from 'node:path';
import { writeLedgerCsv } from '../load/index.ts';
import type { LedgerSummary } from '../load/ledger-summary.ts';
import { type Certificate, verdictOf } from '../report/certificate.ts';
import { createLogger } from '../report/logger.ts';
import { writeTimelineHtml } from '../report/timeline-html.ts';
import { ensureDir, pointLatest, writeCertificate, writeJson } from '../report/write-files.ts';
import type { RunState } from './run-state.ts';

const log = createLogger('report');

function manifestOf(release: RunState['from']): Certificate['releases']['from'] {
  const { name: _name, file: _file, ...manifest } = release;
  return manifest;
}

function totals(summaries: LedgerSummary[]): Certificate['load'] {
  const byClass: Record<string, number> = {};
  let spanRate = 0;
  for (const s of summaries) {
    for (const [k, v] of Object.entries(s.byClass)) byClass[k] = (byClass[k] ?? 0) + v;
    spanRate = Math.max(spanRate, s.ratePerSec);
  }
  const sum = (f: (s: LedgerSummary) => number) => summaries.reduce((n, s) => n + f(s), 0);
  return {
    total: sum((s) => s.total),
    served: sum((s) => s.served),
    failed: sum((s) => s.failed),
    byClass,
    ratePerSec: Math.round(spanRate * 10) / 10,
    streams: sum((s) => s.streams),
  };
}

/** The certificate of a run as it stands (pass or fail). */
export function certificateOf(run: RunState): Certificate {
  return {
    schema: 'upcert/certificate@1',
    runId: run.runId,
    from: run.from.name,
    to: run.to.name,
    target: run.config.target,
    startedAt: run.startedAt.toISOString(),
    durationMs: Math.round(Date.now() - run.startedAt.getTime()),
    verdict: verdictOf(run.results, run.stepFailures),
    stepFailures: run.stepFailures,
    checks: run.results,
    load: totals([...run.ledgers.values()].map((l) => l.summary())),
    releases: { from: manifestOf(run.from), to: manifestOf(run.to) },
  };
}

/**
 * Step 10: the report, always (pass or fail): certificate.json, ledger.csv, timeline.json, the components'
 * logs; then `reports/latest` points at the run. Each file is written on its own so one failure cannot
 * keep the others from being written.
 */
export async function writeReport(run: RunState): Promise<Certificate> {
  const dir = await ensureDir(run.reportDir);
  const certificate = certificateOf(run);
  const attempts: [string, () => Promise<unknown>][] = [
    ['certificate.json', () => writeCertificate(dir, certificate)],
    [
      'ledger.csv',
      () =>
        writeLedgerCsv(
          [...run.ledgers.entries()].map(([label, view]) => ({ label, view })),
          path.join(dir, 'ledger.csv'),
        ),
    ],
    [
      'timeline.json',
      () =>
        writeJson(path.join(dir, 'timeline.json'), {
          runId: run.runId,
          clock: 'epoch ms (the ledger clock)',
          events: run.timeline.events,
          rollouts: Object.fromEntries(run.rollouts),
          phases: Object.fromEntries([...run.ledgers.entries()].map(([phase, l]) => [phase, l.bucketize(100)])),
        }),
    ],
    ['timeline.html', () => writeTimelineHtml(dir, run)],
    ['logs/', async () => run.platform?.collectLogs(await ensureDir(path.join(dir, 'logs')))],
    ['reports/latest', () => pointLatest(path.dirname(dir), dir)],
  ];
  for (const [what, write] of attempts) {
    try {
      await write();
    } catch (error) {
      log.error(`could not write ${what}: ${(error as Error).message}`);
    }
  }
  return certificate;
}
