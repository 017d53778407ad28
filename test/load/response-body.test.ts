import { describe, expect, it } from 'vitest';
import { parseSse, plainUsage } from '../../src/load/response-body.ts';

const usage = (text: string) => plainUsage(Buffer.from(text));

describe('plainUsage (a targeted scan, not a parse of the whole reply)', () => {
  it('reads the top-level usage wherever it is and however it is spaced', () => {
    const reply = {
      id: 'c1',
      usage: { prompt_tokens: 7, completion_tokens: 16, total_tokens: 23, prompt_tokens_details: { cached_tokens: 2 } },
      choices: [{ message: { role: 'assistant', content: 'é "usage": {"prompt_tokens": 1} ✓' } }],
    };
    expect(usage(JSON.stringify(reply))).toEqual({ promptTokens: 7, completionTokens: 16 });
    expect(usage(JSON.stringify(reply, null, 2))).toEqual({ promptTokens: 7, completionTokens: 16 });
    expect(usage(' {"usage" :\n{ "completion_tokens" : 3 , "prompt_tokens":0 } }\n')).toEqual({
      promptTokens: 0,
      completionTokens: 3,
    });
  });

  it('is not fooled by "usage" as a string value, or inside a string', () => {
    const text = '{"usage":{"prompt_tokens":2,"completion_tokens":3},"object":"usage","note":"say \\"usage\\":{}"}';
    expect(usage(text)).toEqual({ promptTokens: 2, completionTokens: 3 });
    expect(usage('{"content":"usage","n":1}')).toBeNull();
  });

  it('agrees with JSON.parse on what is not a usable usage', () => {
    for (const text of [
      '{"id":"c1"}',
      '{"usage":null}',
      '{"usage":{"prompt_tokens":5}}',
      '{"usage":{"prompt_tokens":5.5,"completion_tokens":1}}',
      '{"usage":{"prompt_tokens":-5,"completion_tokens":1}}',
      '{"usage":{"prompt_tokens":"5","completion_tokens":1}}',
      '{"usage":{"prompt_tokens":5,"completion_tokens":1', // cut short
      '{"usage":{"prompt_tokens":5,"completion_tokens":1}} trailing',
      '',
    ]) {
      expect(usage(text), text).toBeNull();
    }
  });

  it('takes the last of duplicated usage keys, as JSON.parse does', () => {
    const text =
      '{"usage":{"prompt_tokens":1,"completion_tokens":1},"usage":{"prompt_tokens":9,"completion_tokens":8}}';
    expect(usage(text)).toEqual({ promptTokens: 9, completionTokens: 8 });
  });
});

describe('parseSse', () => {
  it('finds the usage chunk and [DONE]', () => {
    const body =
      'data: {"choices":[]}\n\ndata: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4}}\n\ndata: [DONE]\n\n';
    expect(parseSse(body)).toEqual({ done: true, usage: { promptTokens: 3, completionTokens: 4 }, events: 3 });
    expect(parseSse(body.replace('data: [DONE]\n\n', ''))).toMatchObject({ done: false });
  });
});
