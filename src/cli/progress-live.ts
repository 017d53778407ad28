import type { Writable } from 'node:stream';

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Lines that stay (printed above) and one line that is redrawn in place (the running step with its spinner and
 * time). Without a terminal, `live` is false: lines are simply printed and nothing is redrawn.
 */
export class Screen {
  #status: ((spinner: string) => string | undefined) | undefined;
  #shown = false;
  #frame = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: Writable & { columns?: number },
    readonly live: boolean,
  ) {}

  /** A line that stays. */
  print(line: string): void {
    if (this.#shown) this.stream.write('\r\u001b[2K');
    this.stream.write(`${line}\n`);
    this.#shown = false;
    this.#draw();
  }

  /** What the redrawn line says (undefined: nothing is running). */
  status(render: ((spinner: string) => string | undefined) | undefined): void {
    this.#status = render;
    if (!this.live) return;
    if (render && !this.#timer) {
      this.#timer = setInterval(() => {
        this.#frame = (this.#frame + 1) % frames.length;
        this.#draw();
      }, 120);
      this.#timer.unref();
    }
    this.#draw();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#shown) this.stream.write('\r\u001b[2K');
    this.#shown = false;
    this.#status = undefined;
  }

  #draw(): void {
    if (!this.live) return;
    const line = this.#status?.(frames[this.#frame]!);
    if (line === undefined) {
      if (this.#shown) this.stream.write('\r\u001b[2K');
      this.#shown = false;
      return;
    }
    this.stream.write(`\r\u001b[2K${clip(line, (this.stream.columns || 100) - 1)}`);
    this.#shown = true;
  }
}

/** Cuts a line to `width` visible characters (ANSI colour codes do not count) so that it never wraps. */
export function clip(line: string, width: number): string {
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length; i++) {
    if (line.startsWith('\u001b[', i)) {
      const end = line.indexOf('m', i);
      if (end > 0) {
        out += line.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    if (visible >= width) continue;
    out += line[i];
    visible++;
  }
  return out;
}
