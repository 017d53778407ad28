/**
 * Ctrl-C on a shared cluster leaves nothing (issue 13): a real child process, a real SIGINT. The child runs
 * the journey's cleanup on the captured-cluster MOCK; the control plane is a stand-in HTTP server here that
 * records the DELETEs it gets (the real API's routes, `src/seed/delete.ts`).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

let dir: string;
let server: http.Server;
const deletes: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'upcert-cluster-int-'));
  server = http.createServer((req, res) => {
    if (req.method === 'DELETE') deletes.push(decodeURIComponent(req.url ?? ''));
    res.writeHead(req.method === 'DELETE' ? 204 : 404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

test('after SIGINT the hand edit is reverted and every seeded tenant is deleted, then the process exits 130', async () => {
  const commands = path.join(dir, 'commands.jsonl');
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/targets/cluster/support/interrupted-run.ts'], {
    env: {
      ...process.env,
      UPCERT_TEST_COMMANDS: commands,
      UPCERT_TEST_CONTROL_PLANE: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child never ready: ${stderr}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  child.kill('SIGINT');
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('deadline'), 30_000))]);
  if (code === 'deadline') child.kill('SIGKILL');
  expect(code).toBe(130);
  const calls = (await readFile(commands, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { file: string; args: string[] });
  const patches = calls.filter((c) => c.file === 'kubectl' && c.args.includes('patch'));
  const tagOf = (c: { args: string[] }) =>
    JSON.parse(JSON.parse(c.args[c.args.indexOf('-p') + 1]!).data['config.json']).gateway.responseTag;
  expect(patches.map(tagOf)).toEqual(['hand-edit-interrupted', 'chart']);
  expect(patches.every((p) => p.args.includes('upcert-hand-edit'))).toBe(true);
  // every seeded record, children before parents
  expect(deletes).toEqual([
    '/api/v1/guardrails/uc1a2b3c-guard-0',
    '/api/v1/budgets/uc1a2b3c-bud-0',
    '/api/v1/routes/uc1a2b3c-route-0',
    '/api/v1/providers/uc1a2b3c-prov-0',
    '/api/v1/keys/uc1a2b3c-key-0',
    '/api/v1/keys/uc1a2b3c-key-1',
    '/api/v1/users/uc1a2b3c-user-0',
    '/api/v1/users/uc1a2b3c-user-1',
    '/api/v1/groups/uc1a2b3c-grp-0',
    '/api/v1/projects/uc1a2b3c-proj-0',
    '/api/v1/organizations/uc1a2b3c-org-0',
  ]);
}, 120_000);
