import { buildConnector } from 'undici';

/**
 * A connector that remembers each socket's local port (read once at connect: Node keeps it after the socket
 * closes, so undici's `SocketError` still names it) and stamps it on the socket's errors, so that a
 * connection-level failure can tell which connection it was on; the target's Service (the local front door)
 * knows which replica that connection was bound to.
 */
export function portStampingConnector(timeoutMs: number): buildConnector.connector {
  const connect = buildConnector({ timeout: timeoutMs });
  return (options, callback) =>
    connect(options, (error, socket) => {
      if (socket) {
        const port = socket.localPort;
        socket.on('error', (e: Error & { localPort?: number }) => {
          e.localPort ??= port;
        });
      }
      (callback as (e: Error | null, s: typeof socket) => void)(error, socket);
    });
}

/** The local port of the connection an error happened on, when undici or the connector recorded it. */
export function localPortOf(error: unknown): number | undefined {
  const e = error as { localPort?: number; socket?: { localPort?: number } } | null;
  return e?.localPort ?? e?.socket?.localPort;
}
