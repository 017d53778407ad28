import { readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * What one certification left behind once it exited: its processes still alive, the TCP ports they still
 * listen on, and the entries of the temp dir it was given. Every selfcheck case runs with a TMPDIR of its own
 * (runner.ts), so whatever a run started is recognisable: a process inherits TMPDIR through its environment
 * (the platform's replicas, PostgreSQL, Chromium and the vitest workers all keep it) or names the dir on its
 * command line (PostgreSQL's `-D`). Linux's /proc only; elsewhere processes and ports are not looked at.
 */
export interface Leftovers {
  /** `<pid> <command line>`. */
  processes: string[];
  ports: number[];
  /** names in the case's temp dir (tsx's shared compile cache excepted). */
  files: string[];
}

/** tsx's compile cache, `tsx-<uid>`: the loader's, shared by every run (a link to the real one). */
export const sharedCacheName = /^tsx-\d+$/;

async function text(file: string): Promise<string | undefined> {
  return readFile(file, 'latin1').catch(() => undefined);
}

/** Live processes (not zombies: their environ reads empty) of the dir, and the socket inodes they hold. */
async function processesOf(tmpDir: string): Promise<{ pid: number; command: string; sockets: Set<string> }[]> {
  const found: { pid: number; command: string; sockets: Set<string> }[] = [];
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((n) => /^\d+$/.test(n)).map(Number);
  for (const pid of pids) {
    if (pid === process.pid) continue;
    const environ = (await text(`/proc/${pid}/environ`))?.split('\0') ?? [];
    const command = ((await text(`/proc/${pid}/cmdline`)) ?? '').split('\0').join(' ').trim();
    const mine = environ.includes(`TMPDIR=${tmpDir}`) || command.includes(`${tmpDir}/`) || command.endsWith(tmpDir);
    if (!mine || !command) continue;
    const sockets = new Set<string>();
    for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) sockets.add(inode);
    }
    found.push({ pid, command: command.slice(0, 160), sockets });
  }
  return found;
}

/** Listening TCP ports (IPv4 and IPv6) whose socket is one of `inodes`. */
export function listeningPorts(procNetTcp: string, inodes: Set<string>): number[] {
  const ports: number[] = [];
  for (const line of procNetTcp.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    if (f.length < 10 || f[3] !== '0A' || !inodes.has(f[9]!)) continue;
    ports.push(Number.parseInt(f[1]!.split(':')[1]!, 16));
  }
  return ports;
}

export async function leftoversOf(tmpDir: string): Promise<Leftovers> {
  const processes = await processesOf(tmpDir);
  const inodes = new Set(processes.flatMap((p) => [...p.sockets]));
  const tables = (await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map(text))).join('\n');
  const files = (await readdir(tmpDir).catch(() => [] as string[])).filter((n) => !sharedCacheName.test(n));
  return {
    processes: processes.map((p) => `${p.pid} ${p.command}`),
    ports: [...new Set(listeningPorts(tables, inodes))].sort((a, b) => a - b),
    files: files.sort().map((n) => path.join(tmpDir, n)),
  };
}

/** Nothing left: no process, no port, no file. */
export function isClean(left: Leftovers): boolean {
  return left.processes.length === 0 && left.ports.length === 0 && left.files.length === 0;
}

/** One line for the matrix: what was left, counted and named. */
export function describeLeftovers(left: Leftovers): string {
  const parts: string[] = [];
  if (left.processes.length) parts.push(`${left.processes.length} process(es): ${left.processes.join('; ')}`);
  if (left.ports.length) parts.push(`listening port(s) ${left.ports.join(', ')}`);
  if (left.files.length) parts.push(`${left.files.length} temp entr(ies): ${left.files.join(', ')}`);
  return `left behind after the run exited: ${parts.join('; ')}`;
}
