/** What the load reads from a response body: token usage, stream completeness, an error's text. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

function usageFrom(value: unknown): Usage | null {
  const u = (value as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } } | null)?.usage;
  if (!u || !Number.isInteger(u.prompt_tokens) || !Number.isInteger(u.completion_tokens)) return null;
  return { promptTokens: u.prompt_tokens as number, completionTokens: u.completion_tokens as number };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The usage of a plain chat completion, null when missing or malformed. */
export function plainUsage(text: string): Usage | null {
  return usageFrom(parse(text));
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
