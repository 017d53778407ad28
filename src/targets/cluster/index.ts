export * from './cluster-target.ts';
export * from './guards.ts';
