import net from 'node:net';

/**
 * A TCP port free on loopback now: bound to 127.0.0.1:0 and released, for a process that must be told its port
 * (embedded PostgreSQL, a product whose port is a flag). Another process could take it before it is used; a
 * process that then fails to listen exits, and is started again on a new port.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
