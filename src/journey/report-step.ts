import path from 'node:path';
import type { RunState } from '../checks/run-state.ts';
import { createLogger } from '../common/logger.ts';
import { writeLedgerCsv } from '../load/index.ts';
import type { LedgerSummary } from '../load/ledger-summary.ts';
import { releaseLookup } from '../release/catalog.ts';
import { supportOf } from '../release/support-policy.ts';
import { type Certificate, verdictOf } from '../report/certificate.ts';
import { certificateJunit } from '../report/junit-certificate.ts';
import { writeTimelineHtml } from '../report/timeline-html.ts';
import { ensureDir, pointLatest, writeCertificate, writeJson, writeTextAtomically } from '../report/write-files.ts';

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
  const { verdict, reasons } = verdictOf(run.results, run.stepFailures, run.harnessFaults);
  return {
    schema: 'upcert/certificate@2',
    runId: run.runId,
    from: run.from.name,
    to: run.to.name,
    target: run.config.target,
    platform: run.profile.name,
    startedAt: run.startedAt.toISOString(),
    durationMs: Math.round(Date.now() - run.startedAt.getTime()),
    verdict,
    verdictReasons: reasons,
    stepFailures: run.stepFailures,
    harnessFaults: run.harnessFaults,
    checks: run.results,
    load: { ...totals([...run.ledgers.values()].map((l) => l.summary())), rates: run.loadRates },
    releases: { from: manifestOf(run.from), to: manifestOf(run.to) },
    ...(run.hop ? { path: { releases: run.hop.path, hop: run.hop.index } } : {}),
    ...unsupportedOf(run),
  };
}

/** An unsupported upgrade run on purpose says so in its certificate (the policy's reason and path). */
function unsupportedOf(run: RunState): Pick<Certificate, 'unsupported'> {
  const support = supportOf(run.from.version, run.to.version, releaseLookup(undefined, run.profile));
  if (support.supported) return {};
  return { unsupported: { reason: support.reason, ...(support.path ? { path: support.path } : {}) } };
}

/**
 * Step 10: the report, always (pass or fail): ledger.csv, timeline.json and .html, the components' logs,
 * `reports/latest`, then certificate.json last, so that a file that could not be written is in it as a harness
 * fault (the verdict is then inconclusive). Each file is written on its own so one failure cannot keep the
 * others from being written.
 */
export async function writeReport(run: RunState): Promise<Certificate> {
  const dir = await ensureDir(run.reportDir);
  const attempts: [string, () => Promise<unknown>][] = [
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
    ['logs/', async () => run.platform?.collectLogs(await ensureDir(path.join(dir, 'logs')))],
    ['reports/latest', () => pointLatest(path.dirname(dir), dir)],
  ];
  for (const [what, write] of attempts) {
    try {
      await write();
    } catch (error) {
      run.harnessFault({ source: 'report', reason: `could not write ${what}: ${(error as Error).message}` });
    }
  }
  // after the faults above, so that its verdict badge says inconclusive too
  await writeTimelineHtml(dir, run).catch((error: Error) =>
    run.harnessFault({ source: 'report', reason: `could not write timeline.html: ${error.message}` }),
  );
  const certificate = certificateOf(run);
  await writeCertificate(dir, certificate);
  // JUnit for CI, from the certificate (after it: a file it could not write is logged, the verdict stands)
  await writeTextAtomically(path.join(dir, 'junit.xml'), certificateJunit(certificate)).catch((error: Error) =>
    log.error(`could not write junit.xml: ${error.message}`),
  );
  return certificate;
}
