import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '../common/logger.ts';
import { keptPlatformFile } from '../journey/keep.ts';
import { certificateSchema } from '../report/certificate.ts';
import { printVerdict } from './verdict-table.ts';

const log = createLogger('keep');

/**
 * `--keep`: watches the run's directory for the kept platform's record; when it appears, prints the verdict and
 * one JSON line with the platform's URLs on stdout (like `platform up`). Returns a stop function and whether a
 * platform was kept.
 */
export function watchForKeptPlatform(runDir: string, everyMs = 500): { stop(): void; kept(): boolean } {
  let kept = false;
  const file = path.join(runDir, keptPlatformFile);
  const timer = setInterval(() => {
    if (kept || !existsSync(file)) return;
    kept = true;
    clearInterval(timer);
    const certificate = certificateSchema.parse(
      JSON.parse(readFileSync(path.join(runDir, 'certificate.json'), 'utf8')),
    );
    printVerdict(certificate, runDir);
    process.stdout.write(
      `${readFileSync(file, 'utf8')
        .replace(/\s*\n\s*/g, ' ')
        .trim()}\n`,
    );
    log.info('--keep: the platform keeps serving; Ctrl-C stops everything');
  }, everyMs);
  return {
    stop: () => clearInterval(timer),
    kept: () => kept,
  };
}
