import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createLogger } from '../common/logger.ts';

const log = createLogger('suites');

/** Processes whose environment or command line mention `dir` (the run's temp dir): what a forced exit may leave. */
export function processesUnder(dir: string): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      const command = readFileSync(`/proc/${entry}/cmdline`, 'latin1').replace(/\0/g, ' ').trim();
      if (environ.includes(dir) || command.includes(dir)) found.push({ pid: Number(entry), command });
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** Says, after a forced exit's kills, what may be left of the run and how to remove it. */
export function sayWhatMayBeLeft(tempDir: string, runDir: string): void {
  const processes = processesUnder(tempDir);
  const left: string[] = [];
  if (processes.length > 0)
    left.push(
      `${processes.length} process(es): ${processes.map((p) => `${p.pid} ${p.command.slice(0, 80)}`).join('; ')}`,
    );
  if (existsSync(tempDir)) left.push(`the run's temp dir ${tempDir}`);
  const report = existsSync(`${runDir}/certificate.json`)
    ? 'the report is written'
    : `the report in ${runDir} may be incomplete`;
  if (left.length === 0) log.warn(`forced exit: nothing of the run is left running; ${report}`);
  else
    log.warn(
      `forced exit: may be left: ${left.join('; ')}; ${report}; to remove: ${processes.length > 0 ? `kill -9 ${processes.map((p) => p.pid).join(' ')}; ` : ''}rm -rf ${tempDir}`,
    );
}
