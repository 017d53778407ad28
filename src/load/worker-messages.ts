/**
 * What the run's thread and its load workers (`worker-load.ts`, `load-worker.ts`) say to each other. Only
 * data crosses: the options without the ledger and the callbacks; rows as ledger chunks; stats and results.
 */
import type { LogLevel } from '../common/logger.ts';
import type { BehindEpisode } from './lag-monitor.ts';
import type { LedgerChunk } from './ledger-shard.ts';
import type { LoadOptions } from './options.ts';
import type { LoadResult, LoadStats, StopReason } from './running-load.ts';

export type WorkerLoadOptions = Omit<LoadOptions, 'ledger' | 'onBehind' | 'onFinished' | 'attribute' | 'workers'>;

export interface WorkerInit {
  options: WorkerLoadOptions;
  /** `runClockAlignment()` of the run's thread: the worker's rows are on the run's clock. */
  clockAlignment: number;
  logLevel: LogLevel;
  /** Whether the run's thread can say which replica a connection was bound to (failure attribution). */
  attribute: boolean;
}

export type ToWorker =
  | { type: 'start'; at: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop'; drainMs?: number };

export type ToRun =
  | { type: 'ready' }
  | { type: 'chunk'; stats: LoadStats; chunk?: LedgerChunk }
  | { type: 'behind'; episode: BehindEpisode }
  | { type: 'issuing-ended'; reason: StopReason }
  | { type: 'paused'; idle: boolean; stats: LoadStats; chunk?: LedgerChunk }
  | { type: 'log'; line: string }
  | { type: 'finished'; stats: LoadStats; result: Omit<LoadResult, 'summary'>; chunk?: LedgerChunk };

/** A replica a worker cannot name: the local port of the failed connection, for the run's thread to resolve. */
const portMarker = '\u0000local-port:';

export function portReplica(localPort: number): string {
  return `${portMarker}${localPort}`;
}

/** The local port a worker's replica stands for, or undefined when it named the replica itself. */
export function localPortIn(replica: string): number | undefined {
  return replica.startsWith(portMarker) ? Number(replica.slice(portMarker.length)) : undefined;
}
