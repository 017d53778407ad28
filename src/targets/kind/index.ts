export * from './kind-cli.ts';
export * from './kind-target.ts';
export * from './node-image.ts';
