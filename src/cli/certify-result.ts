import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createLogger } from '../common/logger.ts';
import type { UpcertConfig } from '../config/schema.ts';
import { hopDirName } from '../journey/certification.ts';
import { type Certificate, certificateSchema } from '../report/certificate.ts';
import { certificateAnnotations, certificateMarkdown, publishToGithub } from '../report/github-actions.ts';
import { hopsOf, pathResultOf, type RunResult } from '../report/path-result.ts';
import { printVerdict } from './verdict-table.ts';

const log = createLogger('certify');

/** The report directories of a run: the run's own, or one per hop of a path. */
export function hopDirs(config: UpcertConfig, runDir: string): string[] {
  const path_ = [config.from, ...config.through, config.to];
  if (path_.length === 2) return [runDir];
  return path_.slice(1).map((to, i) => path.join(runDir, hopDirName(i + 1, path_[i]!, to)));
}

/** Reads what the run wrote (undefined when a hop left no certificate: upcert's own fault). */
export function readRunResult(config: UpcertConfig, runDir: string): RunResult | undefined {
  const hops: Certificate[] = [];
  for (const dir of hopDirs(config, runDir)) {
    const file = path.join(dir, 'certificate.json');
    if (!existsSync(file)) {
      log.error(`no certificate was written (${file})`);
      return undefined;
    }
    hops.push(certificateSchema.parse(JSON.parse(readFileSync(file, 'utf8'))));
  }
  if (hops.length === 1) return hops[0];
  return pathResultOf([config.from, ...config.through, config.to], hops);
}

/** The verdict table of every hop, then where each timeline is (the last lines a user sees). */
export function printRunResult(
  config: UpcertConfig,
  runDir: string,
  result: RunResult,
  out: NodeJS.WritableStream = process.stdout,
): void {
  const dirs = hopDirs(config, runDir);
  const hops = 'hops' in result ? result.hops : [result];
  for (const [i, certificate] of hops.entries()) printVerdict(certificate, dirs[i]!, out);
  if ('hops' in result) out.write(`path ${result.path.join(' → ')}: ${result.verdict}\n`);
  for (const dir of dirs) out.write(`timeline: ${path.join(dir, 'timeline.html')}\n`);
}

/** `--json FILE` (`-`: standard output), the same flag shape as `selfcheck --json FILE`. */
export async function writeRunJson(target: string, result: RunResult): Promise<void> {
  const text = `${JSON.stringify(result, null, 2)}\n`;
  if (target === '-') process.stdout.write(text);
  else await writeFile(target, text);
}

/** What a user and CI see at the end: GitHub annotations and summary (in Actions), verdicts, timelines. */
export async function publishRunResult(
  config: UpcertConfig,
  runDir: string,
  result: RunResult,
  out: NodeJS.WritableStream,
): Promise<void> {
  const hops = hopsOf(result);
  const annotations = hops.flatMap((h) => certificateAnnotations(h));
  await publishToGithub(config, annotations, hops.map(certificateMarkdown).join('\n'), out);
  printRunResult(config, runDir, result, out);
}
