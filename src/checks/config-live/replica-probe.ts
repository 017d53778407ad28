import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

/** One probe answer through the gateway's front door. */
export interface ProbeAnswer {
  status: number;
  replica: string;
  /** the completion's `model` (the upstream model the route points at), '' when none. */
  model: string;
}

export interface ProbeRequest {
  key: string;
  model: string;
  prompt: string;
}

/** What one replica did for one change: how long after the change it enforced it (null: never, within the bound). */
export interface ReplicaOutcome {
  replica: string;
  ms: number | null;
  answers: number;
  /** its last answer, e.g. `200 model live-b`. */
  last: string;
}

const describe = (a: ProbeAnswer) => `${a.status}${a.model ? ` model ${a.model}` : ''}`;

/**
 * One request on a fresh connection (`connection: close`), so that the front door (an L4 balancer, like a
 * Service) picks a replica for each: probing repeatedly reaches every ready replica. Never throws: a
 * request that gets no answer is status 0.
 */
export async function probeOnce(gateway: string, p: ProbeRequest, timeoutMs: number): Promise<ProbeAnswer> {
  try {
    const res = await request(new URL('/v1/chat/completions', gateway), {
      method: 'POST',
      headers: { authorization: `Bearer ${p.key}`, 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify({ model: p.model, max_tokens: 1, messages: [{ role: 'user', content: p.prompt }] }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      reset: true,
    });
    const text = await res.body.text();
    const served = res.headers['x-served-by'];
    let model = '';
    try {
      model = String((JSON.parse(text) as { model?: unknown }).model ?? '');
    } catch {
      // not JSON: an error page; the status says enough
    }
    return { status: res.statusCode, replica: Array.isArray(served) ? served.join(',') : (served ?? ''), model };
  } catch {
    return { status: 0, replica: '', model: '' };
  }
}

/**
 * Probes until every replica in `replicas` has answered and its latest answer satisfies `enforced`, or the
 * bound passes (bounded in time and count). A replica's time is from `since` to its first enforcing answer
 * after its last non-enforcing one.
 */
export async function untilEveryReplica(opts: {
  gateway: string;
  replicas: readonly string[];
  probe: ProbeRequest;
  enforced: (a: ProbeAnswer) => boolean;
  since: number;
  boundMs: number;
  clock: () => number;
  paceMs?: number;
}): Promise<{ outcomes: ReplicaOutcome[]; strangers: string[]; unanswered: number }> {
  const state = new Map(opts.replicas.map((r) => [r, { okSince: null as number | null, answers: 0, last: '' }]));
  const strangers = new Set<string>();
  let unanswered = 0;
  const deadline = opts.since + opts.boundMs;
  const maxProbes = Math.ceil(opts.boundMs / (opts.paceMs ?? 20)) + 10;
  for (let i = 0; i < maxProbes && opts.clock() < deadline; i++) {
    const answer = await probeOnce(opts.gateway, opts.probe, Math.max(100, deadline - opts.clock()));
    const at = opts.clock();
    const s = state.get(answer.replica);
    if (!s) {
      if (answer.replica) strangers.add(answer.replica);
      else unanswered++;
    } else {
      s.answers++;
      s.last = describe(answer);
      if (!opts.enforced(answer)) s.okSince = null;
      else s.okSince ??= at;
      if ([...state.values()].every((x) => x.okSince !== null)) break;
    }
    await sleep(opts.paceMs ?? 20);
  }
  const outcomes = [...state].map(([replica, s]) => ({
    replica,
    ms: s.okSince === null ? null : Math.round(s.okSince - opts.since),
    answers: s.answers,
    last: s.last || 'no answer',
  }));
  return { outcomes, strangers: [...strangers], unanswered };
}
