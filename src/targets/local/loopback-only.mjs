// Preloaded into a packaged platform's replicas (`node --import`, through NODE_OPTIONS; packaged-platform.ts):
// a server that asks for no host listens on 127.0.0.1, not on every interface. The local target's replicas are
// reached through its loopback front doors only, as a pod is reached through its Service; a product like
// Portkey's gateway, which has no host flag and forwards to whatever host a request names, must not be an open
// proxy on the machine's network while it is certified. Only the listening address changes.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first, second] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof second !== 'string') args.splice(1, second === undefined ? 1 : 0, '127.0.0.1');
  } else if (first && typeof first === 'object' && first.host === undefined && first.path === undefined) {
    args[0] = { ...first, host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
