export * from './front-door.ts';
export * from './local-platform.ts';
export * from './local-target.ts';
export type { ArtifactCheck } from './release-plan.ts';
export type { PlatformSecrets } from './secrets.ts';
export type { WorkloadName } from './workload-settings.ts';
