export * from './redacted.ts';
export * from './resolve.ts';
export * from './schema.ts';
