export { classifyError, DeadlineExceededError, type Judgement, judgeStatus } from './classify.ts';
export type { ConsumerSpec, Price } from './consumers.ts';
export { type LoadResult, type LoadStats, type RunningLoad, type StopReason, startLoad } from './generator.ts';
export { Ledger, type LedgerView } from './ledger.ts';
export type { Bucket, BucketTimeline } from './ledger-buckets.ts';
export type { LedgerSummary } from './ledger-summary.ts';
export { type LoadOptions, realRunLoadMustBeValid } from './options.ts';
export * from './types.ts';
