/**
 * The bench's Node server, in a child process: a trivial chat-completions server answering with usage;
 * answers `cpu` messages with its CPU time so far (µs). Every answer has a deadline.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export function serve(): void {
  const reply = Buffer.from(
    JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 16, total_tokens: 21 },
    }),
  );
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': reply.length,
        'x-gateway-version': 'v1.8.0',
        'x-served-by': 'bench-1',
      });
      res.end(reply);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send!({ cpu: user + system });
  });
  process.on('disconnect', () => process.exit(0));
}

export interface Child {
  process: ChildProcess;
  url: string;
  /** The server's CPU time so far, µs. */
  cpu(): Promise<number>;
  close(): Promise<void>;
}

export async function startChild(script: string): Promise<Child> {
  const child = spawn(process.execPath, [...process.execArgv, script, '--serve'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const answer = async <T>(ms: number): Promise<T> => {
    try {
      const [m] = await once(child, 'message', { signal: AbortSignal.timeout(ms) });
      return m as T;
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`bench: the server child (pid ${child.pid}) did not answer within ${ms} ms`, { cause: error });
    }
  };
  const hello = await answer<{ port: number }>(15_000);
  return {
    process: child,
    url: `http://127.0.0.1:${hello.port}`,
    cpu: async () => {
      child.send('cpu');
      return (await answer<{ cpu: number }>(10_000)).cpu;
    },
    close: async () => {
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      if (child.exitCode === null) {
        child.disconnect();
        await once(child, 'exit');
      }
      clearTimeout(killer);
    },
  };
}
