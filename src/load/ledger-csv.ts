import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { classOf, kindOf, outcomeOf } from './columns.ts';
import type { LedgerView } from './ledger-view.ts';
import { failureClasses, outcomes, requestKinds } from './types.ts';

export const csvHeader = [
  'intended_start_ms',
  'start_ms',
  'end_ms',
  'duration_ms',
  'latency_ms',
  'consumer',
  'kind',
  'status',
  'version',
  'replica',
  'prompt_tokens',
  'completion_tokens',
  'cost_micro_usd',
  'outcome',
  'failure_class',
  'error',
];

/** RFC 4180: a field with a comma, a double quote, CR or LF is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function line(view: LedgerView, i: number, quoted: (table: readonly string[], id: number) => string): string {
  const c = view.columns;
  const flags = c.flags[i]!;
  const cls = classOf(flags);
  const start = c.start[i]!;
  const end = c.end[i]!;
  const intended = view.intendedAt(i);
  return [
    intended.toFixed(3),
    start.toFixed(3),
    end.toFixed(3),
    (end - start).toFixed(3),
    (end - intended).toFixed(3),
    quoted(view.consumers.values(), c.consumer[i]!),
    requestKinds[kindOf(flags)],
    c.status[i],
    quoted(view.servers.first.values(), view.servers.firstId(c.server[i]!)),
    quoted(view.servers.second.values(), view.servers.secondId(c.server[i]!)),
    c.prompt[i],
    c.completion[i],
    view.costAt(i),
    outcomes[outcomeOf(flags)],
    cls < 0 ? '' : failureClasses[cls],
    quoted(view.errors.values(), c.error[i]!),
  ].join(',');
}

/**
 * Writes one ledger, or several labelled ones (a certification run's phases) into one file with a leading
 * label column named `labelColumn`.
 */
export async function writeLedgerCsv(
  source: LedgerView | { label: string; view: LedgerView }[],
  path: string,
  labelColumn = 'phase',
): Promise<void> {
  const parts = Array.isArray(source) ? source : [{ label: '', view: source }];
  const labelled = Array.isArray(source);
  const cache = new Map<readonly string[], string[]>();
  const quoted = (table: readonly string[], id: number): string => {
    let q = cache.get(table);
    if (!q || q.length !== table.length) {
      q = table.map(csvField);
      cache.set(table, q);
    }
    return q[id]!;
  };
  const out = createWriteStream(path, { encoding: 'utf8' });
  const failed = once(out, 'error').then(([e]) => Promise.reject(e));
  failed.catch(() => {});
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
  };
  await write(`${(labelled ? [labelColumn, ...csvHeader] : csvHeader).join(',')}\r\n`);
  for (const { label, view } of parts) {
    cache.clear();
    const prefix = labelled ? `${csvField(label)},` : '';
    const size = view.size;
    for (let from = 0; from < size; from += 2000) {
      const lines: string[] = [];
      for (let i = from; i < Math.min(size, from + 2000); i++) lines.push(prefix + line(view, i, quoted));
      if (lines.length > 0) await write(`${lines.join('\r\n')}\r\n`);
    }
  }
  out.end();
  await Promise.race([finished(out), failed]);
}
