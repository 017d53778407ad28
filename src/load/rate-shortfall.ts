/** What the generator knows when the rate is not held, to say why. */
export interface ShortfallState {
  /** req/s sent in the last second, and asked. */
  sent: number;
  asked: number | 'max';
  inFlight: number;
  cap: number;
  /** Requests due and not yet taken. */
  backlog: number;
  /** Requests handed to undici that wait for a free connection. */
  queued: number;
  /** The generator's own last second: event-loop busy share and process CPU (cores). */
  own: { busy: number; cpuCores: number };
}

/** Why the rate is not held: the in-flight cap, the connections, or the generator's own CPU. */
export function whyShort(s: ShortfallState): string {
  const figures = `${s.sent} req/s sent of ${s.asked} asked`;
  if (s.backlog > 0 && s.inFlight >= s.cap)
    return `the cap: ${s.inFlight} requests in flight, the in-flight cap (${figures})`;
  if (s.queued > 0) return `connections: ${s.queued} requests wait for a free connection (${figures})`;
  const busy = Math.round(s.own.busy * 100);
  return `client CPU: the generator's event loop was busy ${busy} %, process CPU ${s.own.cpuCores.toFixed(2)} cores (${figures})`;
}
