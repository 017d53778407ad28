/**
 * Runs a reference platform component from source (`node --import tsx`) by the process contract of
 * CONTRACT.md: rendered config and secrets files, PORT=0, the port learnt from the `listening` log line,
 * ready when `/readyz` answers 200. Stopped with SIGTERM (SIGKILL after a deadline) on dispose.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ComponentName = 'control-plane' | 'gateway' | 'provider-mock';

export const componentMain = (component: ComponentName) =>
  fileURLToPath(new URL(`../../../fixtures/platform/src/${component}/main.ts`, import.meta.url));
export const controlPlaneMain = componentMain('control-plane');
export const controlPlaneExists = existsSync(controlPlaneMain);

export interface PlatformSecrets {
  adminToken: string;
  adminPassword: string;
  oidcClientSecret: string;
  cookieKeys: string[];
  signingKey: Record<string, unknown>;
  databasePassword: string;
}

export function freshSecrets(): PlatformSecrets {
  const token = () => randomBytes(24).toString('base64url');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    adminToken: token(),
    adminPassword: token(),
    oidcClientSecret: token(),
    cookieKeys: [token()],
    signingKey: { ...privateKey.export({ format: 'jwk' }), kid: 'test', alg: 'RS256', use: 'sig' },
    databasePassword: token(),
  };
}

export interface RunningComponent extends AsyncDisposable {
  url: string;
}

export interface ComponentOptions {
  version: string;
  database: { port: number; database: string; user: string };
  secrets: PlatformSecrets;
  /** URL of the control plane (what the gateway reads its snapshot from). */
  controlPlaneUrl?: string;
  deadlineMs?: number;
}

export const startControlPlane = (options: ComponentOptions) => startComponent('control-plane', options);

export async function startComponent(component: ComponentName, options: ComponentOptions): Promise<RunningComponent> {
  const dir = await mkdtemp(join(tmpdir(), `upcert-seed-${component}-`));
  const config = {
    component,
    database: { host: '127.0.0.1', ...options.database },
    services: {
      controlPlane: options.controlPlaneUrl ?? 'http://127.0.0.1:1',
      gateway: 'http://127.0.0.1:2',
      console: 'http://127.0.0.1:3',
      identity: 'http://127.0.0.1:4',
    },
    gateway: {
      maxRequestBytes: 10485760,
      drain: { propagationSeconds: 1.5, keepAliveTimeoutSeconds: 5 },
      usageFlushMs: 200,
      snapshotPollMs: 250,
    },
    controlPlane: { snapshotRefreshMs: 250 },
    providerMock: { latencyMs: 2, streamChunks: 6, chunkDelayMs: 3 },
  };
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  await writeFile(join(dir, 'secrets.json'), JSON.stringify(options.secrets));
  const child = spawn(process.execPath, ['--import', 'tsx', componentMain(component)], {
    env: {
      ...process.env,
      PLATFORM_VERSION: options.version,
      PLATFORM_CONFIG: join(dir, 'config.json'),
      PLATFORM_SECRETS: join(dir, 'secrets.json'),
      PORT: '0',
      HOST: '127.0.0.1',
      REPLICA_ID: `${component}-${options.version}-test`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let port: number | undefined;
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      output.push(line);
      if (output.length > 200) output.shift();
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'listening' && typeof entry.port === 'number') port = entry.port;
      } catch {}
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const dispose = async () => {
    await stop(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const url = await waitReady(component, child, () => port, output, options.deadlineMs ?? 60_000);
    return { url, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

async function waitReady(
  component: ComponentName,
  child: ChildProcess,
  port: () => number | undefined,
  output: string[],
  deadlineMs: number,
) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const p = port();
    if (p !== undefined) {
      const ok = await fetch(`http://127.0.0.1:${p}/readyz`, { signal: AbortSignal.timeout(1000) })
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) return `http://127.0.0.1:${p}`;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const why = child.exitCode !== null ? `exited with ${child.exitCode}` : `not ready after ${deadlineMs} ms`;
  throw new Error(`start ${component}: ${why}; last output:\n${output.slice(-20).join('\n')}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
