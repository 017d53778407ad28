export * from './component-status.ts';
export * from './helm.ts';
export * from './image-digest.ts';
export * from './kube-platform.ts';
export * from './kubectl.ts';
export * from './rollout-events.ts';
export * from './tools.ts';
