/** What the load reads from a response body: token usage, stream completeness, an error's text. */
import { lastObjectValueOf, looksLikeObject } from './json-scan.ts';

const usageKey = Buffer.from('"usage"');

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** OpenAI's `usage` object, as far as the ledger reads it. */
type RawUsage = { prompt_tokens?: unknown; completion_tokens?: unknown } | null | undefined;

function usageOf(u: RawUsage): Usage | null {
  if (!u || !Number.isInteger(u.prompt_tokens) || !Number.isInteger(u.completion_tokens)) return null;
  return { promptTokens: u.prompt_tokens as number, completionTokens: u.completion_tokens as number };
}

function usageFrom(value: unknown): Usage | null {
  return usageOf((value as { usage?: RawUsage } | null)?.usage);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The usage of a plain chat completion, null when missing or malformed. Rather than parse the whole
 * reply (the generator reads thousands a second), it finds the last `"usage"` key and parses only its
 * object (see json-scan.ts for why those bytes cannot be anything else). An OpenAI-compatible reply has
 * one `usage` object, at the top level; JSON.parse would also take the last of duplicated keys. The
 * reply must still look whole, an object from its first byte to its last, so a cut body is no answer.
 */
export function plainUsage(body: Buffer): Usage | null {
  if (!looksLikeObject(body)) return null;
  const span = lastObjectValueOf(body, usageKey);
  return span ? usageOf(parse(body.toString('utf8', span[0], span[1])) as RawUsage) : null;
}

export interface StreamResult {
  done: boolean;
  usage: Usage | null;
  events: number;
}

/** Reads a complete SSE body: every `data:` event, the usage chunk, and whether it ended with `[DONE]`. */
export function parseSse(text: string): StreamResult {
  let done = false;
  let usage: Usage | null = null;
  let events = 0;
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trimStart())
      .join('\n');
    if (data === '') continue;
    events++;
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    if (done) return { done: false, usage, events }; // data after [DONE]: not a well-ended stream
    usage = usageFrom(parse(data)) ?? usage;
  }
  return { done, usage, events };
}

/** `type: message` of an `{ error: { type, message } }` body, or the body's start. */
export function errorDetail(text: string): string {
  const e = (parse(text) as { error?: { type?: unknown; message?: unknown } } | null)?.error;
  if (e && typeof e.type === 'string') return typeof e.message === 'string' ? `${e.type}: ${e.message}` : e.type;
  return text.slice(0, 120);
}
