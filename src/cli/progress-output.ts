import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';

/** Where the journey's own log lines go while the progress is shown: a file, and a callback for the few worth showing. */
export class CapturedOutput {
  readonly stdout: Writable;
  readonly stderr: Writable;

  constructor(
    readonly file: string,
    private readonly onLine: (line: string) => void,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.stdout = this.#stream();
    this.stderr = this.#stream();
  }

  #stream(): Writable {
    let pending = '';
    return new Writable({
      write: (chunk: Buffer | string, _encoding, done) => {
        const text = chunk.toString();
        try {
          appendFileSync(this.file, text);
        } catch {
          // the log file is a convenience; the progress must go on
        }
        const lines = (pending + text).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) this.onLine(line);
        done();
      },
    });
  }

  /** Appends text to the log file only (full error stacks the terminal shows as one line). */
  note(text: string): void {
    try {
      appendFileSync(this.file, text.endsWith('\n') ? text : `${text}\n`);
    } catch {
      // as above
    }
  }
}

/** A log line of `src/common/logger.ts` at warn or error level (`<iso> warn  [prefix] message`). */
export function isWarning(line: string): boolean {
  return /^\S+ (warn|error)\s/.test(line);
}
