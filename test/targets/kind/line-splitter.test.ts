/** kubectl port-forward output, read line by line (issue 12 item 11: no re-splitting of everything received). */
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../src/targets/kube/line-splitter.ts';
import { forwardedPort } from '../../../src/targets/kube/port-forward.ts';

// kubectl's own lines (kubectl port-forward --help, and its output once a connection is handled).
const first = 'Forwarding from 127.0.0.1:41234 -> 8080\n';
const handling = 'Handling connection for 41234\n';

describe('LineSplitter', () => {
  it('finds the forwarded port when the first line arrives in pieces', () => {
    const lines = new LineSplitter();
    expect(lines.push(first.slice(0, 17))).toEqual([]);
    const done = lines.push(first.slice(17));
    expect(done.map(forwardedPort)).toEqual([41234]);
  });

  it('holds only the partial last line, however much output went through', () => {
    const lines = new LineSplitter();
    const text = handling.repeat(50_000);
    let seen = 0;
    for (let i = 0; i < text.length; i += 7) seen += lines.push(text.slice(i, i + 7)).length;
    expect(seen).toBe(50_000);
    expect(lines.push('')).toEqual([]);
    expect((lines as unknown as { pending: string }).pending).toBe('');
  });
});
