// A load worker started from the TypeScript sources (tests, `tsx`, the certification's test runner): this
// thread gets tsx's loader first, then runs the worker module (src/load/load-worker.ts). The CLI bundle
// starts its own compiled load-worker.mjs instead.
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(workerData.module);
