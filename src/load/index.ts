export { classifyError, DeadlineExceededError, type Judgement, judgeStatus } from './classify.ts';
export type { ConsumerSpec, Price } from './consumers.ts';
export { startLoad } from './generator.ts';
export { Ledger, type LedgerView } from './ledger.ts';
export type { Bucket, BucketTimeline } from './ledger-buckets.ts';
export type { LedgerSummary } from './ledger-summary.ts';
export { type LoadOptions, realRunLoadMustBeValid } from './options.ts';
export type { LoadResult, LoadStats, RunningLoad, StopReason } from './running-load.ts';
export * from './types.ts';
