import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { InstalledPlatform } from '../../targets/target.ts';
import type { ReadinessLogEvidence } from './judge.ts';

interface Line {
  component?: string;
  msg?: string;
  ts?: string;
  version?: string;
  replica?: string;
}

function parse(text: string): Line[] {
  const lines: Line[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(raw) as Line);
    } catch {
      // not one of the component's JSON lines (e.g. a stack trace): ignored
    }
  }
  return lines;
}

/**
 * What the control plane's own log says about one of its processes (CONTRACT.md: it logs
 * `migrations complete` and then `ready`). Clock-free: the order of lines one process wrote is the order in
 * which it did things, whatever the probe period and whoever's clock. A log holding several starts (a
 * restarted replica appends) is read start by start: every `ready` needs a `migrations complete` since the
 * previous `ready`. Only logs of `version` (its `listening` line says it) count.
 */
export function readinessOrder(file: string, text: string, version: string): ReadinessLogEvidence['replicas'] {
  const lines = parse(text).filter((l) => l.component === 'control-plane');
  if (!lines.some((l) => l.msg === 'listening' && l.version === version)) return [];
  const out: ReadinessLogEvidence['replicas'] = [];
  let migratedAt: string | null = null;
  for (const l of lines) {
    if (l.msg === 'migrations complete') migratedAt = l.ts ?? '?';
    if (l.msg !== 'ready') continue;
    out.push({ replica: l.replica ?? file, log: file, readyAt: l.ts ?? '?', migratedAt });
    migratedAt = null;
  }
  return out;
}

/** Every `ready` of the new release's control-plane processes, from the logs the target collects. */
export async function readinessFromLogs(platform: InstalledPlatform, version: string): Promise<ReadinessLogEvidence> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'upcert-readiness-'));
  try {
    await platform.collectLogs(dir);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.log')).sort();
    const replicas: ReadinessLogEvidence['replicas'] = [];
    let logs = 0;
    for (const file of files) {
      const found = readinessOrder(file, await readFile(path.join(dir, file), 'utf8'), version);
      if (found.length > 0) logs++;
      replicas.push(...found);
    }
    return { logs, replicas };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
