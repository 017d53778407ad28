/** The colours the CLI's output uses; `plain` when it goes to a file, a pipe or a NO_COLOR terminal. */
export interface Paint {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const ansi = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
export const colors: Paint = {
  green: ansi(32, 39),
  red: ansi(31, 39),
  yellow: ansi(33, 39),
  cyan: ansi(36, 39),
  dim: ansi(2, 22),
  bold: ansi(1, 22),
};
const same = (s: string) => s;
export const plain: Paint = { green: same, red: same, yellow: same, cyan: same, dim: same, bold: same };

/** Colours on an interactive terminal, unless NO_COLOR is set (https://no-color.org). */
export function paintFor(stream: { isTTY?: boolean } = process.stdout): Paint {
  return stream.isTTY && !process.env.NO_COLOR ? colors : plain;
}
