/** The ledger's memory per million rows (intended-start column included), measured in a quiet process. */
import { Ledger } from '../../src/load/ledger.ts';
import { ShardCutter, ShardMerger } from '../../src/load/ledger-shard.ts';

export interface Memory {
  bytesPerRow: number;
  heapDelta: number;
  arrayBuffersDelta: number;
}

function fill(ledger: Ledger, rows: number): void {
  const t = ledger.clock();
  for (let i = 0; i < rows; i++) {
    const failed = i % 1000 === 0;
    ledger.append({
      intended: t + i * 0.3 - (i % 7) * 0.25,
      start: t + i * 0.3,
      end: t + i * 0.3 + 2.5,
      consumer: `acme.proj-${i % 4}.user-${i % 12}`,
      kind: i % 10 === 0 ? 'stream' : i % 10 === 1 ? 'fresh-connection' : 'keep-alive',
      status: failed ? 0 : 200,
      version: i < rows / 2 ? 'v1.8.0' : 'v1.9.0',
      replica: `gateway-${i < rows / 2 ? 'v1.8.0' : 'v1.9.0'}-${i % 2}`,
      promptTokens: failed ? 0 : 14,
      completionTokens: failed ? 0 : 16,
      costMicroUsd: failed ? 0 : 46,
      outcome: failed ? 'failed' : 'served',
      failureClass: failed ? 'reset' : null,
      error: failed ? 'read ECONNRESET' : '',
    });
  }
}

/**
 * The same million rows as load workers hand them over: a worker's ledger filled a chunk at a time, cut and
 * merged into the run's ledger (`ledger-shard.ts`), 10,000 rows a chunk (a worker at 100,000 req/s).
 */
function fillMerged(ledger: Ledger, rows: number): void {
  const shard = new Ledger();
  const cutter = new ShardCutter(shard);
  const merger = new ShardMerger(ledger);
  for (let done = 0; done < rows; done += 10_000) {
    fill(shard, Math.min(10_000, rows - done));
    merger.append(cutter.cut()!.chunk);
  }
}

export async function ledgerMemory(how: 'direct' | 'merged' = 'direct'): Promise<Memory> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('bench: run with node --expose-gc (npm run bench:load does)');
  const settle = async () => {
    gc();
    await new Promise((r) => setImmediate(r));
    gc();
  };
  await settle();
  const before = process.memoryUsage();
  const ledger = new Ledger();
  if (how === 'merged') fillMerged(ledger, 1_000_000);
  else fill(ledger, 1_000_000);
  await settle();
  const after = process.memoryUsage();
  const heapDelta = after.heapUsed - before.heapUsed;
  const arrayBuffersDelta = after.arrayBuffers - before.arrayBuffers;
  if (ledger.size !== 1_000_000) throw new Error('bench: ledger lost rows');
  return { bytesPerRow: (heapDelta + arrayBuffersDelta) / ledger.size, heapDelta, arrayBuffersDelta };
}
