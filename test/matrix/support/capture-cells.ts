/**
 * Captures the cells of a real `upcert matrix run` as test fixtures (run once, by hand):
 *   npx tsx test/matrix/support/capture-cells.ts <results dir> test/fixtures/matrix/<name>
 * Per cell: the cell's definition, its result.json (the real certificates) and each hop's timeline.json
 * reduced to the run's own events (the figures read those; the 100 ms buckets are left out for size).
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ResultsStore } from '../../../src/matrix/results-store.ts';

const [from, to] = process.argv.slice(2);
if (!from || !to) throw new Error('usage: capture-cells.ts <results dir> <fixture dir>');
for (const { record, dir } of await new ResultsStore(from).all()) {
  const out = path.join(to, record.cell.id);
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'cell-definition.json'), `${JSON.stringify(record.cell, null, 2)}\n`);
  await cp(path.join(dir, 'result.json'), path.join(out, 'result.json'));
  for (const report of record.reports) {
    const timeline = JSON.parse(await readFile(path.join(dir, report, 'timeline.json'), 'utf8'));
    const events = (timeline.events as { component?: string }[]).filter((e) => !e.component);
    await mkdir(path.join(out, report), { recursive: true });
    await writeFile(path.join(out, report, 'timeline.json'), `${JSON.stringify({ runId: timeline.runId, events })}\n`);
  }
}
