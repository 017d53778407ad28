import { describe, expect, it } from 'vitest';
import { plainUsageFast, streamUsageFast } from '../../src/load/fast-body.ts';
import { parseSse, plainUsage } from '../../src/load/response-body.ts';

const b = (s: string) => Buffer.from(s);
const usage = { promptTokens: 14, completionTokens: 16 };
const plain =
  '{"id":"c1","choices":[{"message":{"role":"assistant","content":"ok"}}],"usage":{"prompt_tokens":14,"completion_tokens":16,"total_tokens":30}}';
const chunk = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
const stream = [
  chunk({ choices: [{ delta: { content: 'he' } }], usage: null }),
  chunk({
    choices: [],
    usage: { prompt_tokens: 14, completion_tokens: 16, prompt_tokens_details: { cached_tokens: 0 } },
  }),
  'data: [DONE]\n\n',
].join('');

describe('the fast path over a 200 body agrees with the full parsers, and defers to them when unsure', () => {
  it('finds the usage of a plain completion', () => {
    expect(plainUsageFast(b(plain))).toEqual(usage);
    expect(plainUsage(plain)).toEqual(usage);
    expect(plainUsageFast(b(`  ${plain}\n`))).toEqual(usage);
  });

  it('finds the usage of a well-ended stream (usage: null in earlier chunks, nested details)', () => {
    expect(streamUsageFast(b(stream))).toEqual(usage);
    expect(parseSse(stream)).toMatchObject({ done: true, usage });
    expect(streamUsageFast(b(stream.replaceAll('\n', '\r\n')))).toEqual(usage);
  });

  it('is not sure about anything unusual', () => {
    expect(plainUsageFast(b(plain.slice(0, -1)))).toBeUndefined(); // truncated
    expect(plainUsageFast(b('{"usage":null}'))).toBeUndefined();
    expect(plainUsageFast(b('{"usage":{"prompt_tokens":1.5,"completion_tokens":2}}'))).toBeUndefined();
    expect(plainUsageFast(b('{"content":"say \\"usage\\": {}","x":1}'))).toBeUndefined();
    expect(streamUsageFast(b(stream.replace('data: [DONE]\n\n', '')))).toBeUndefined(); // no [DONE]
    expect(streamUsageFast(b(`${stream}${chunk({ choices: [] })}`))).toBeUndefined(); // data after [DONE]
    expect(streamUsageFast(b(`data: [DONE]\n\n${stream}`))).toBeUndefined(); // two [DONE]
    expect(streamUsageFast(b(`${chunk({ choices: [] })}data: [DONE]\n\n`))).toBeUndefined(); // no usage
  });
});
