/**
 * The selfcheck's census of what a run left behind (issue 11 item 13, the soak): a real child process started
 * with the case's TMPDIR, listening on a real loopback port, and a file in that dir, are all found; once the
 * process is gone and the file removed, nothing is. Linux /proc.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeLeftovers, isClean, leftoversOf, listeningPorts } from '../../src/selfcheck/leftovers.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe.skipIf(process.platform !== 'linux')(
  'leftovers of a run (Linux only: read from /proc; skipped elsewhere)',
  () => {
    it('finds the process that kept the TMPDIR, its listening port and the temp file; then nothing', async () => {
      const tmp = await mkdtemp(path.join(os.tmpdir(), 'upcert-leftovers-test-'));
      dirs.push(tmp);
      await chmod(tmp, 0o711);
      await mkdir(path.join(tmp, 'tsx-0'));
      await writeFile(path.join(tmp, 'upcert-run-x'), '');
      const server = `require('net').createServer().listen(0, '127.0.0.1', function () { console.log(this.address().port) })`;
      const child = spawn(process.execPath, ['-e', server], {
        env: { PATH: process.env.PATH, TMPDIR: tmp },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      try {
        const port = await new Promise<number>((resolve) => child.stdout!.once('data', (c) => resolve(Number(`${c}`))));
        const left = await leftoversOf(tmp);
        expect(left.processes).toHaveLength(1);
        expect(left.processes[0]).toMatch(new RegExp(`^${child.pid} `));
        expect(left.ports).toEqual([port]);
        expect(left.files).toEqual([path.join(tmp, 'upcert-run-x')]); // tsx's cache is not a leftover
        expect(isClean(left)).toBe(false);
        expect(describeLeftovers(left)).toContain(`listening port(s) ${port}`);
      } finally {
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
      await rm(path.join(tmp, 'upcert-run-x'));
      expect(isClean(await leftoversOf(tmp))).toBe(true);
    });

    it('reads listening sockets of /proc/net/tcp by inode (a line captured from this machine)', () => {
      const table = [
        '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
        '   0: 0100007F:A1B2 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0',
        '   1: 0100007F:A1B3 0100007F:A1B2 01 00000000:00000000 00:00000000 00000000     0        0 4243 1 0000000000000000 20 4 30 10 -1',
      ].join('\n');
      expect(listeningPorts(table, new Set(['4242', '4243']))).toEqual([0xa1b2]);
      expect(listeningPorts(table, new Set(['9']))).toEqual([]);
    });
  },
);
