import net from 'node:net';
import { EnvironmentError } from '../../common/errors.ts';

/** A ready replica behind a front door. */
export interface Endpoint {
  replica: string;
  port: number;
}

/**
 * The local stand-in for a Kubernetes Service + kube-proxy: an L4 balancer on 127.0.0.1. Each new
 * CONNECTION goes round-robin to one of the current endpoints and its bytes are piped both ways; an
 * existing connection stays on its replica after the replica leaves the endpoints (as with iptables
 * conntrack). With no endpoints a connection is reset at once (a Service with no endpoints rejects).
 */
export class FrontDoor implements AsyncDisposable {
  private current: Endpoint[] = [];
  private next = 0;
  private readonly sockets = new Set<net.Socket>();
  /** The replica each client connection went to, by the client's port (kept a while after it closed). */
  private readonly boundTo = new Map<number, { replica: string; closedAt: number | null }>();
  private closed = false;

  private constructor(
    readonly service: string,
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  /**
   * Listens on 127.0.0.1 (an ephemeral port unless `port` is given); starts with no endpoints. A fixed port
   * in use is an EnvironmentError naming the port and `setting` (the configuration that fixed it).
   */
  static async open(service: string, port = 0, setting?: string): Promise<FrontDoor> {
    const server = net.createServer({ allowHalfOpen: true, noDelay: true });
    await listen(server, port).catch((error: NodeJS.ErrnoException) => {
      throw portError(error, service, port, setting);
    });
    const address = server.address() as net.AddressInfo;
    const door = new FrontDoor(service, server, address.port);
    server.on('connection', (socket) => door.accept(socket));
    return door;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  endpoints(): readonly Endpoint[] {
    return this.current;
  }

  /** Connections currently being piped (both sides open). */
  get openConnections(): number {
    return this.sockets.size;
  }

  add(endpoint: Endpoint): boolean {
    if (this.current.some((e) => e.replica === endpoint.replica)) return false;
    this.current = [...this.current, endpoint];
    return true;
  }

  remove(replica: string): boolean {
    const before = this.current.length;
    this.current = this.current.filter((e) => e.replica !== replica);
    return this.current.length !== before;
  }

  private pick(): Endpoint | undefined {
    const list = this.current;
    if (list.length === 0) return undefined;
    const endpoint = list[this.next % list.length];
    this.next = (this.next + 1) % 1_000_000_007;
    return endpoint;
  }

  private accept(client: net.Socket): void {
    const endpoint = this.pick();
    if (!endpoint || this.closed) {
      client.resetAndDestroy();
      return;
    }
    client.setNoDelay(true);
    this.bind(client.remotePort, endpoint.replica);
    const upstream = net.connect({ host: '127.0.0.1', port: endpoint.port, allowHalfOpen: true, noDelay: true });
    this.sockets.add(client);
    this.sockets.add(upstream);
    // An error on one side resets the other, as a dead pod's RST would reach the client.
    client.on('error', () => upstream.resetAndDestroy());
    upstream.on('error', () => client.resetAndDestroy());
    client.on('close', () => {
      this.sockets.delete(client);
      const bound = client.remotePort === undefined ? undefined : this.boundTo.get(client.remotePort);
      if (bound) bound.closedAt = Date.now();
      if (!upstream.destroyed) upstream.end();
    });
    upstream.on('close', () => {
      this.sockets.delete(upstream);
      if (!client.destroyed) client.end();
    });
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /**
   * The replica the client connection from `clientPort` (127.0.0.1) was bound to: what a connection-level
   * failure (reset, closed) can name. Undefined for a port it never saw (or saw over a minute ago).
   */
  replicaOf(clientPort: number): string | undefined {
    return this.boundTo.get(clientPort)?.replica;
  }

  private bind(clientPort: number | undefined, replica: string): void {
    if (clientPort === undefined) return;
    if (this.boundTo.size >= 20_000) {
      const stale = Date.now() - 60_000;
      for (const [port, b] of this.boundTo) if (b.closedAt !== null && b.closedAt < stale) this.boundTo.delete(port);
    }
    this.boundTo.set(clientPort, { replica, closedAt: null });
  }

  /** Stops accepting and destroys every piped connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.current = [];
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await done;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function listen(server: net.Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function portError(error: NodeJS.ErrnoException, service: string, port: number, setting?: string): Error {
  if (port === 0 || (error.code !== 'EADDRINUSE' && error.code !== 'EACCES')) return error;
  const why = error.code === 'EADDRINUSE' ? 'is in use' : 'may not be bound by this user';
  const where = setting ? ` (set by ${setting})` : '';
  return new EnvironmentError(`open front door: ${service} port 127.0.0.1:${port} ${why}${where}`, {
    fix: `stop what listens on ${port} (ss -ltnp 'sport = :${port}'), or choose another port${setting ? ` for ${setting}` : ''}`,
    cause: error,
  });
}

/** Binds `port` on 127.0.0.1 and lets it go at once: the preflight's proof that a fixed port is free. */
export async function frontDoorPortMustBeFree(service: string, port: number, setting: string): Promise<void> {
  const server = net.createServer();
  await listen(server, port).catch((error: NodeJS.ErrnoException) => {
    throw portError(error, service, port, setting);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
