// A STAND-IN for a platform component in the local target's tests: a tiny server that follows the
// process contract (CONTRACT.md): PORT/HOST/REPLICA_ID from the environment, a JSON `listening` log
// line, /healthz, /readyz (503 from SIGTERM on), /version. Answers every other request with its
// REPLICA_ID. Behaviour by variant (set by the file that imports this one):
//   stubborn: ignores SIGTERM (the harness must SIGKILL it after the grace period)
//   never-ready: /readyz always 503
// READY_AFTER_MS of the config file's `standIn` section delays readiness.
import { readFileSync } from 'node:fs';
import http from 'node:http';

const variant = globalThis.STAND_IN_VARIANT ?? 'normal';
const replica = process.env.REPLICA_ID ?? 'unknown';
const config = process.env.PLATFORM_CONFIG ? JSON.parse(readFileSync(process.env.PLATFORM_CONFIG, 'utf8')) : {};
const readyAfterMs = config.standIn?.readyAfterMs ?? 100;
const started = Date.now();
let terminating = false;

const log = (msg, fields = {}) =>
  process.stdout.write(
    `${JSON.stringify({ ts: new Date().toISOString(), level: 'info', component: 'stand-in', replica, msg, ...fields })}\n`,
  );

const server = http.createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok');
  if (req.url === '/readyz') {
    const ready = variant !== 'never-ready' && !terminating && Date.now() - started >= readyAfterMs;
    res.statusCode = ready ? 200 : 503;
    return res.end(ready ? 'ready' : 'not ready');
  }
  if (req.url === '/version') {
    res.setHeader('content-type', 'application/json');
    return res.end(JSON.stringify({ component: 'stand-in', version: 'v0.0.0', digest: 'sha256:stand-in' }));
  }
  res.end(replica);
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  log('listening', { port: server.address().port, variant });
});

process.on('SIGTERM', () => {
  terminating = true;
  log('sigterm', { variant });
  if (variant === 'stubborn') return;
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
