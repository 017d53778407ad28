export * from './chart-check.ts';
export * from './context.ts';
export * from './finding.ts';
export * from './manifests.ts';
export * from './rules.ts';
