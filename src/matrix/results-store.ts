import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CellRecord, cellRecordSchema } from './cell-record.ts';

const recordFile = 'cell.json';

/**
 * The content-addressed results directory (`--results DIR`): `<DIR>/<key>/cell.json` and the run's reports
 * beside it. A key names one experiment; a record under it is that experiment's outcome.
 */
export class ResultsStore {
  constructor(readonly dir: string) {}

  cellDir(key: string): string {
    return path.join(this.dir, key);
  }

  async read(key: string): Promise<CellRecord | undefined> {
    const file = path.join(this.cellDir(key), recordFile);
    if (!existsSync(file)) return undefined;
    const parsed = cellRecordSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success && parsed.data.key === key ? parsed.data : undefined;
  }

  /** A record whose key already has a passing certificate: the cell need not run again. */
  async passing(key: string): Promise<CellRecord | undefined> {
    const record = await this.read(key);
    return record?.verdict === 'passed' ? record : undefined;
  }

  async write(record: CellRecord): Promise<string> {
    const dir = this.cellDir(record.key);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, recordFile);
    await writeFile(`${file}.tmp`, `${JSON.stringify(cellRecordSchema.parse(record), null, 2)}\n`);
    await rename(`${file}.tmp`, file);
    return file;
  }

  /** Every valid record in the directory (a shard's artifact, or several merged into one). */
  async all(): Promise<{ record: CellRecord; dir: string }[]> {
    const entries = await readdir(this.dir, { withFileTypes: true }).catch(() => []);
    const found: { record: CellRecord; dir: string }[] = [];
    for (const e of entries.filter((x) => x.isDirectory() && /^[0-9a-f]{64}$/.test(x.name))) {
      const record = await this.read(e.name);
      if (record) found.push({ record, dir: this.cellDir(e.name) });
    }
    return found;
  }
}
