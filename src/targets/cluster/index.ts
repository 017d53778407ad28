export * from './cluster-target.ts';
export * from './from-config.ts';
export * from './guards.ts';
export * from './plan.ts';
export * from './plan-text.ts';
