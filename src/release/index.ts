export * from './catalog.ts';
export * from './manifest.ts';
export * from './support-policy.ts';
