/** What the load reads from a response body: token usage, stream completeness, an error's text. */
import { integerValueOf, lastObjectValueOf, looksLikeObject } from './json-scan.ts';

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
 * reply (the generator reads thousands a second), it finds the last `"usage"` key, then the two token
 * counts inside its object (see json-scan.ts for why those bytes cannot be anything else). An
 * OpenAI-compatible reply has one `usage` object, at the top level, and its counts are plain integers;
 * JSON.parse would also take the last of duplicated keys. A body cut short is caught by its framing
 * (content-length, chunked: a transport error); here the reply must also look whole, an object from its
 * first byte to its last (this does not check the braces between: a cut just after one `}` passes).
 */
export function plainUsage(body: Buffer): Usage | null {
  // latin1: one character per byte, cheap to make; the usage object is ASCII (json-scan.ts).
  const text = body.toString('latin1');
  if (!looksLikeObject(text)) return null;
  const span = lastObjectValueOf(text, '"usage"');
  if (!span) return null;
  const promptTokens = integerValueOf(text, '"prompt_tokens"', span[0], span[1]);
  const completionTokens = integerValueOf(text, '"completion_tokens"', span[0], span[1]);
  return promptTokens === null || completionTokens === null ? null : { promptTokens, completionTokens };
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
