/** The ledger's memory per million rows (intended-start column included), measured in a quiet process. */
import { Ledger } from '../../src/load/ledger.ts';

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

export async function ledgerMemory(): Promise<Memory> {
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
  fill(ledger, 1_000_000);
  await settle();
  const after = process.memoryUsage();
  const heapDelta = after.heapUsed - before.heapUsed;
  const arrayBuffersDelta = after.arrayBuffers - before.arrayBuffers;
  if (ledger.size !== 1_000_000) throw new Error('bench: ledger lost rows');
  return { bytesPerRow: (heapDelta + arrayBuffersDelta) / ledger.size, heapDelta, arrayBuffersDelta };
}
