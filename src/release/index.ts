export * from './catalog.ts';
export * from './manifest.ts';
