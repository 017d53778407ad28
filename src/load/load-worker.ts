/**
 * One load worker (a worker thread started by `worker-load.ts`): a generator of this thread with its share of
 * the load, on the run's clock, keeping a ledger of its own that it hands to the run's ledger in chunks every
 * 100 ms (`ledger-shard.ts`), with its stats. It answers `pause`, `resume` and `stop` from the run's thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { alignRunClock } from '../common/clock.ts';
import { setLogLevel, setLogSink } from '../common/logger.ts';
import { startLoad } from './generator.ts';
import { Ledger } from './ledger.ts';
import { ShardCutter } from './ledger-shard.ts';
import type { LoadOptions } from './options.ts';
import type { LoadResult, LoadStats, RunningLoad } from './running-load.ts';
import type { ToRun, ToWorker, WorkerInit } from './worker-messages.ts';
import { portReplica } from './worker-messages.ts';

const init = workerData as WorkerInit;
const port = parentPort!;
alignRunClock(init.clockAlignment);
setLogLevel(init.logLevel);
// this thread's log lines go to the run's thread, which writes them where its own go (progress, upcert.log)
setLogSink((line) => port.postMessage({ type: 'log', line } satisfies ToRun));

const ledger = new Ledger();
const cutter = new ShardCutter(ledger);
const post = (message: ToRun) => {
  if (message.type === 'chunk' || message.type === 'finished' || message.type === 'paused') {
    const cut = cutter.cut();
    message.chunk = cut?.chunk;
    port.postMessage(message, cut?.transfer ?? []);
  } else {
    port.postMessage(message);
  }
};

const options: LoadOptions = {
  ...init.options,
  ledger,
  workers: 1,
  onBehind: (episode) => post({ type: 'behind', episode }),
  onFinished: () => {},
  // a connection-level failure names its connection's local port; the run's thread asks the target
  ...(init.attribute ? { attribute: (localPort: number) => portReplica(localPort) } : {}),
};
const idleStats: LoadStats = {
  issued: 0,
  inFlight: 0,
  backlog: 0,
  late: 0,
  paused: false,
  stoppedBy: 'stop',
  behind: 0,
  achievedPerSec: null,
};
const notStarted: Omit<LoadResult, 'summary'> = {
  stoppedBy: 'stop',
  issued: 0,
  late: 0,
  behind: [],
  achievedPerSec: [],
  shortSeconds: 0,
  abandoned: 0,
  durationMs: 0,
};

let load: RunningLoad | undefined;
let timer: NodeJS.Timeout | undefined;

/** Starts the load at `at` on the run's clock (the same instant for every worker). */
function start(at: number): void {
  load = startLoad({ ...options, startAt: at });
  timer = setInterval(() => post({ type: 'chunk', stats: load!.stats() }), 100);
  void load.issuingEnded.then((reason) => post({ type: 'issuing-ended', reason }));
}

function finish(result: Omit<LoadResult, 'summary'>, stats: LoadStats): void {
  clearInterval(timer);
  post({ type: 'finished', stats, result });
  port.close();
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'start') start(m.at);
  else if (!load) {
    // stopped before it started: nothing was sent
    if (m.type === 'stop') finish(notStarted, idleStats);
  } else if (m.type === 'pause') void load.pause().then((idle) => post({ type: 'paused', idle, stats: load!.stats() }));
  else if (m.type === 'resume') load.resume();
  else if (m.type === 'stop') {
    void load.stop({ drainMs: m.drainMs }).then(({ summary: _s, ...rest }) => finish(rest, load!.stats()));
  }
});
post({ type: 'ready' });
