import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FrontDoor } from '../../../src/targets/local/front-door.ts';

/** A TCP server that answers each line with `<name>:<line>` (stands in for a replica). */
async function echoServer(name: string): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('data', (d) => s.write(`${name}:${d.toString().trim()}\n`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Opens a connection through the door and keeps it; `ask` sends a line and resolves with the answer. */
async function connect(port: number): Promise<{ ask: (line: string) => Promise<string>; socket: net.Socket }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const ask = (line: string) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer within 2 s')), 2000);
      socket.once('data', (d) => {
        clearTimeout(timer);
        resolve(d.toString().trim());
      });
      socket.once('error', reject);
      socket.write(`${line}\n`);
    });
  return { ask, socket };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.allSettled(cleanups.splice(0).map((c) => c()));
});

describe('front door (L4, per connection, like kube-proxy)', () => {
  it('balances each new connection round-robin over the endpoints', async () => {
    const a = await echoServer('a');
    const b = await echoServer('b');
    const door = await FrontDoor.open('svc');
    cleanups.push(a.close, b.close, () => door.close());
    door.add({ replica: 'a', port: a.port });
    door.add({ replica: 'b', port: b.port });

    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const c = await connect(door.port);
      answers.push(await c.ask('hi'));
      // Every request on one connection stays on the same replica.
      expect(await c.ask('again')).toBe(`${answers[i]!.split(':')[0]}:again`);
      c.socket.destroy();
    }
    expect(answers).toEqual(['a:hi', 'b:hi', 'a:hi', 'b:hi', 'a:hi', 'b:hi']);
  });

  it('keeps an existing connection on its replica after the replica leaves the endpoints', async () => {
    const a = await echoServer('a');
    const b = await echoServer('b');
    const door = await FrontDoor.open('svc');
    cleanups.push(a.close, b.close, () => door.close());
    door.add({ replica: 'a', port: a.port });
    const held = await connect(door.port);
    expect(await held.ask('1')).toBe('a:1');
    door.add({ replica: 'b', port: b.port });
    door.remove('a');
    expect(await held.ask('2')).toBe('a:2');
    const fresh = await connect(door.port);
    expect(await fresh.ask('3')).toBe('b:3');
    held.socket.destroy();
    fresh.socket.destroy();
  });

  it('closes a connection at once when there are no endpoints', async () => {
    const door = await FrontDoor.open('svc');
    cleanups.push(() => door.close());
    const started = Date.now();
    const outcome = await new Promise<string>((resolve) => {
      const s = net.connect(door.port, '127.0.0.1');
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      s.on('close', () => resolve('closed'));
      s.on('data', () => resolve('data'));
    });
    expect(['ECONNRESET', 'closed']).toContain(outcome);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('resets the client when the chosen replica is gone (connection refused upstream)', async () => {
    const a = await echoServer('a');
    const door = await FrontDoor.open('svc');
    cleanups.push(() => door.close());
    door.add({ replica: 'a', port: a.port });
    await a.close();
    const outcome = await new Promise<string>((resolve) => {
      const s = net.connect(door.port, '127.0.0.1', () => s.write('x\n'));
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      s.on('close', () => resolve('closed'));
      s.on('data', () => resolve('data'));
    });
    expect(['ECONNRESET', 'closed']).toContain(outcome);
  });
});
