/**
 * The one logger of the harness: timestamped lines with a component prefix, on stderr so that stdout
 * stays free for machine-readable output (JSON lines, tables). Secrets registered with `redact` never
 * appear in what it writes.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(prefix: string): Logger;
}

const secrets = new Set<string>();
let threshold: LogLevel = 'info';
let sink: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

/** Registers a secret value: every later log line (and `redactText`) replaces it with `[redacted]`. */
export function redact(value: string | undefined): void {
  if (value && value.length >= 6) secrets.add(value);
}

export function redactText(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('[redacted]');
  return out;
}

export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

export function logLevel(): LogLevel {
  return threshold;
}

/** Writes a line another thread formatted (a load worker's), redacted, to this thread's sink. */
export function writeLogLine(line: string): void {
  sink(redactText(line));
}

/** Redirects log lines (tests, progress renderers); returns a function that restores the previous sink. */
export function setLogSink(next: (line: string) => void): () => void {
  const previous = sink;
  sink = next;
  return () => {
    sink = previous;
  };
}

export function createLogger(prefix: string): Logger {
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (order[level] < order[threshold]) return;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    sink(redactText(`${new Date().toISOString()} ${level.padEnd(5)} [${prefix}] ${msg}${extra}`));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (p) => createLogger(`${prefix}:${p}`),
  };
}
