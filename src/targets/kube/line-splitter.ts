/**
 * Splits a stream's chunks into complete lines, each byte looked at once: the pending partial line is the only
 * state (re-splitting everything received on every chunk is quadratic in the output's length).
 */
export class LineSplitter {
  private pending = '';

  /** The lines completed by `chunk` (without their `\n`); a partial last line waits for the next chunk. */
  push(chunk: string): string[] {
    const text = this.pending + chunk;
    const lines = text.split('\n');
    this.pending = lines.pop() ?? '';
    return lines;
  }
}
