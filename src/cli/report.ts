import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { BadInputError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { resolveConfig } from '../config/resolve.ts';
import { readCertificate } from '../report/allure-checks.ts';
import { generateAllureReport } from '../report/allure-report.ts';
import { readTimelineData } from '../report/timeline-data.ts';
import { writeTimelineHtml } from '../report/timeline-html.ts';

const log = createLogger('report');

export interface ReportResult {
  runDir: string;
  allure: string;
  timeline: string | undefined;
}

/**
 * `upcert report [run-dir]` (`npm run report`): the Allure HTML report of a run from its allure-results
 * (`<run-dir>/allure-report/index.html`, opens from disk), and its timeline.html drawn again from timeline.json.
 */
export async function report(runDirArg: string | undefined, opts: { config?: string } = {}): Promise<ReportResult> {
  const given =
    runDirArg ??
    path.join(resolveConfig({ configFile: opts.config, explicitConfigFile: Boolean(opts.config) }).reportDir, 'latest');
  if (!existsSync(given)) {
    throw new BadInputError(`report: no run directory at ${given} (run \`upcert certify\` first, or name one)`, {
      field: 'run-dir',
    });
  }
  const runDir = realpathSync(given);
  const allure = await generateAllureReport(runDir);
  let timeline: string | undefined;
  const timelineJson = path.join(runDir, 'timeline.json');
  if (existsSync(timelineJson)) {
    const cert = readCertificate(runDir);
    const headline = cert ? { from: cert.from, to: cert.to, target: cert.target, verdict: cert.verdict } : {};
    timeline = await writeTimelineHtml(runDir, await readTimelineData(timelineJson, headline));
  } else {
    log.warn(`no timeline.json in ${runDir}: timeline.html not drawn`);
  }
  return { runDir, allure, timeline };
}
