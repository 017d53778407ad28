import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/load/ledger.ts';
import type { LedgerRow } from '../../src/load/types.ts';

const row = (over: Partial<LedgerRow> = {}): LedgerRow => ({
  intended: over.start ?? 1_000,
  start: 1_000,
  end: 1_010,
  consumer: 'acme.web.alice',
  kind: 'keep-alive',
  status: 200,
  version: 'v1.8.0',
  replica: 'gateway-v1.8.0-1',
  promptTokens: 12,
  completionTokens: 16,
  costMicroUsd: 76,
  outcome: 'served',
  failureClass: null,
  error: '',
  ...over,
});

const failed = (over: Partial<LedgerRow>): LedgerRow =>
  row({
    status: 0,
    version: '',
    replica: '',
    promptTokens: 0,
    completionTokens: 0,
    costMicroUsd: 0,
    outcome: 'failed',
    ...over,
  });

describe('Ledger', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  it('gives back every row as appended, past several doublings, in order', () => {
    const ledger = new Ledger();
    const rows = Array.from({ length: 5000 }, (_, i) =>
      i % 7 === 0
        ? failed({ start: i, end: i + 0.5, kind: 'stream', failureClass: 'stream-truncated', error: `cut ${i % 3}` })
        : row({
            intended: i - (i % 4) * 0.125,
            start: i,
            end: i + 1.25,
            consumer: `c${i % 11}`,
            costMicroUsd: i,
            version: `v1.${i % 3}.0`,
            replica: `r${i % 5}`,
          }),
    );
    for (const r of rows) ledger.append(r);
    expect(ledger.size).toBe(5000);
    expect(ledger.row(4999)).toEqual(rows[4999]);
    expect([...ledger]).toEqual(rows);
    expect(() => ledger.row(5000)).toThrow(RangeError);
  });

  it('keeps costs of 2^32 micro-USD and more exact', () => {
    const ledger = new Ledger();
    ledger.append(row({ costMicroUsd: 2 ** 40 + 3 }));
    ledger.append(row({ costMicroUsd: 0xffffffff }));
    expect(ledger.row(0).costMicroUsd).toBe(2 ** 40 + 3);
    expect(ledger.row(1).costMicroUsd).toBe(0xffffffff);
    expect(ledger.summary().costMicroUsd).toBe(2 ** 40 + 3 + 0xffffffff);
  });

  it('rejects rows that cannot be right', () => {
    const ledger = new Ledger();
    expect(() => ledger.append(row({ costMicroUsd: 1.5 }))).toThrow(/costMicroUsd/);
    expect(() => ledger.append(row({ failureClass: 'reset' }))).toThrow(/failure class/);
    expect(() => ledger.append(failed({ failureClass: null }))).toThrow(/failure class/);
    expect(ledger.size).toBe(0);
  });

  it('sums up: outcomes, classes, versions, cost, rate, streams, cost per consumer', () => {
    const ledger = new Ledger();
    ledger.append(row({ start: 0, end: 10, consumer: 'a', costMicroUsd: 100 }));
    ledger.append(row({ start: 100, end: 200, consumer: 'b', costMicroUsd: 50, kind: 'stream', version: 'v1.9.0' }));
    ledger.append(
      row({ start: 300, end: 310, consumer: 'c', status: 403, outcome: 'refused-as-expected', costMicroUsd: 0 }),
    );
    ledger.append(failed({ start: 400, end: 500, consumer: 'a', failureClass: 'reset', error: 'ECONNRESET' }));
    ledger.append(
      failed({ start: 600, end: 1000, consumer: 'a', status: 502, version: 'v1.9.0', failureClass: 'http-5xx' }),
    );
    const s = ledger.summary();
    expect(s).toMatchObject({ total: 5, served: 2, refused: 1, failed: 2, costMicroUsd: 150, streams: 1 });
    expect(s.byClass).toEqual({
      'connect-refused': 0,
      reset: 1,
      closed: 0,
      timeout: 0,
      'http-5xx': 1,
      'unexpected-status': 0,
      'stream-truncated': 0,
    });
    expect(s.byVersion).toEqual({ 'v1.8.0': 2, 'v1.9.0': 2 });
    expect(s.ratePerSec).toBeCloseTo(5, 6);
    expect(ledger.costByConsumer()).toEqual({ a: 100, b: 50, c: 0 });
  });

  it('bucketizes by end time, per outcome and per version', () => {
    const ledger = new Ledger();
    ledger.append(row({ end: 1_005 }));
    ledger.append(row({ end: 1_099, version: 'v1.9.0' }));
    ledger.append(failed({ end: 1_250, failureClass: 'closed' }));
    const t = ledger.bucketize(100);
    expect(t.origin).toBe(1_000);
    expect(t.versions).toEqual(['v1.8.0', 'v1.9.0']);
    expect(t.buckets).toEqual([
      {
        t: 1_000,
        served: 2,
        refused: 0,
        failed: 0,
        byVersion: { 'v1.8.0': 1, 'v1.9.0': 1 },
        p50: 99,
        p99: 250,
        late: 0,
      },
      { t: 1_100, served: 0, refused: 0, failed: 0, byVersion: {}, p50: 0, p99: 0, late: 0 },
      { t: 1_200, served: 0, refused: 0, failed: 1, byVersion: {}, p50: 0, p99: 0, late: 0 },
    ]);
    expect(new Ledger().bucketize().buckets).toEqual([]);
  });

  it('puts latency and lateness in the bucket of the intended start, so that a stall shows where it began', () => {
    const ledger = new Ledger();
    for (let i = 0; i < 9; i++) ledger.append(row({ intended: 1_000 + i, start: 1_000 + i, end: 1_010 + i }));
    ledger.append(row({ intended: 1_020, start: 1_900, end: 9_020 }));
    const [first, ...rest] = ledger.bucketize(100).buckets;
    expect(first).toMatchObject({ t: 1_000, served: 9, p50: 10, p99: 8_000, late: 1 });
    expect(rest.at(-1)).toMatchObject({ t: 9_000, served: 1, p99: 0, late: 0 });
  });

  it('writes CSV with a header, CRLF lines and RFC 4180 quoting', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'upcert-ledger-'));
    dirs.push(dir);
    const ledger = new Ledger();
    ledger.append(row({ intended: 1, start: 1.5, end: 3 }));
    ledger.append(
      failed({
        consumer: 'o,p.u',
        failureClass: 'unexpected-status',
        status: 401,
        error: 'HTTP 401: "bad key"\nsee log',
      }),
    );
    for (let i = 0; i < 4_998; i++) ledger.append(row());
    const path = join(dir, 'ledger.csv');
    await ledger.writeCsv(path);
    const text = await readFile(path, 'utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      'intended_start_ms,start_ms,end_ms,duration_ms,latency_ms,consumer,kind,status,version,replica,prompt_tokens,completion_tokens,cost_micro_usd,outcome,failure_class,error',
    );
    expect(lines[1]).toBe(
      '1.000,1.500,3.000,1.500,2.000,acme.web.alice,keep-alive,200,v1.8.0,gateway-v1.8.0-1,12,16,76,served,,',
    );
    expect(text).toContain(
      '"o,p.u",keep-alive,401,,,0,0,0,failed,unexpected-status,"HTTP 401: ""bad key""\nsee log"\r\n',
    );
    expect(lines.at(-1)).toBe('');
    expect(text.match(/\r\n/g)?.length).toBe(5_001);
  });

  it('interns strings: a million rows over a few consumers hold 41 bytes a row of capacity, no string per row', () => {
    const ledger = new Ledger();
    for (let i = 0; i < 1_000_000; i++) {
      ledger.append(
        row({ consumer: `org.proj.user${i % 12}`, replica: `gateway-v1.8.0-${i % 3}`, start: i, end: i + 2 }),
      );
    }
    expect(ledger.consumers.size).toBe(13); // '' + 12
    expect(ledger.servers.second.size).toBe(4); // '' + 3
    // what the process holds is measured in `npm run bench:load` (MB per million rows, merge included): here the
    // layout itself, exactly, so that a column added or widened shows
    expect(ledger.columns.capacity).toBe(2 ** 20);
    expect(ledger.columns.bytes).toBe(41 * 2 ** 20);
  });
});
