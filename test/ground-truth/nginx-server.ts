/**
 * Debian's nginx on loopback with its own prefix and configuration in a temp dir (never the system's),
 * proxying to an upstream of ours. As root the workers run as root (`user root;`), so they can use the
 * temp dir. Everything it starts is stopped, and the dir removed, by `Symbol.asyncDispose`.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';

export const nginxBinary = ['/usr/sbin/nginx', '/usr/local/sbin/nginx'].find((p) => existsSync(p));

export interface Nginx extends AsyncDisposable {
  url: string;
  reload(): Promise<void>;
  /** `nginx -s stop` (fast shutdown), waiting until the master has exited. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function conf(dir: string, port: number, upstreamPort: number): string {
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `${user}worker_processes 2;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  upstream app { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    keepalive_timeout 65s;
    keepalive_requests 1000000;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
`;
}

async function pidOf(dir: string): Promise<number | undefined> {
  const text = await readFile(path.join(dir, 'nginx.pid'), 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(what: string, condition: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`nginx: ${what} did not happen within ${ms} ms`);
    await sleep(20);
  }
}

/**
 * `render` writes another configuration for the same process handling (the load bench's static replies);
 * it gets the temp dir (pid file, temp paths) and the port to listen on.
 */
export async function startNginx(
  upstreamPort: number,
  render: (dir: string, port: number) => string = (dir, port) => conf(dir, port, upstreamPort),
): Promise<Nginx> {
  if (!nginxBinary) throw new Error('nginx is not installed (apt-get install -y nginx-light)');
  const bin = nginxBinary;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'upcert-nginx-'));
  await mkdir(path.join(dir, 'tmp'));
  const port = await freePort();
  const file = path.join(dir, 'nginx.conf');
  await writeFile(file, render(dir, port));
  const args = ['-p', dir, '-c', file, '-e', path.join(dir, 'error.log')];
  let master: number | undefined;
  const start = async () => {
    await execa(bin, args, { timeout: 10_000 });
    await waitFor(
      'the pid file',
      async () => {
        master = await pidOf(dir);
        return master !== undefined;
      },
      5000,
    );
  };
  const stop = async () => {
    const pid = master ?? (await pidOf(dir));
    if (!pid || !alive(pid)) return;
    await execa(bin, [...args, '-s', 'stop'], { timeout: 10_000, reject: false });
    await waitFor('the master to exit', () => !alive(pid), 10_000).catch(() => process.kill(pid, 'SIGKILL'));
    master = undefined;
  };
  try {
    await start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    reload: async () => {
      await execa(bin, [...args, '-s', 'reload'], { timeout: 10_000 });
    },
    stop,
    start,
    async [Symbol.asyncDispose]() {
      try {
        await stop();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
