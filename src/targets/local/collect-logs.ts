import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { redactText } from '../../common/logger.ts';

/** Copies every log (and the rendered configuration) of a run into `dir`, redacting registered secrets. */
export async function collectLogs(runDir: string, dir: string): Promise<string[]> {
  const copied: string[] = [];
  for (const sub of ['logs', 'config']) {
    const from = path.join(runDir, sub);
    const entries = await readdir(from).catch(() => [] as string[]);
    if (entries.length === 0) continue;
    const to = sub === 'logs' ? dir : path.join(dir, 'config');
    await mkdir(to, { recursive: true });
    for (const name of entries.filter((n) => n.endsWith('.log') || n.endsWith('.json'))) {
      await writeFile(path.join(to, name), redactText(await readFile(path.join(from, name), 'utf8')));
      copied.push(path.join(to, name));
    }
  }
  return copied;
}
