import type { Phase } from '../../release/manifest.ts';
import type { ConfigApi, ConfigApiOptions } from '../../seed/config-api.ts';
import type { Queryable } from '../../seed/database.ts';

/** What config-live's session needs from the run (the journey builds it). */
export interface ConfigLiveContext {
  phase: Phase;
  api: ConfigApi;
  apiOptions: ConfigApiOptions;
  /** The run prefix on a shared platform: config-live's own ids are then planned (`live-<phase>-<prefix>-*`). */
  prefix?: string;
  db: Queryable;
  /** the gateway's front door (its Service). */
  gateway: string;
  /** the ids of the ready gateway replicas, as the target lists them. */
  gatewayReplicas: () => Promise<string[]>;
  /** a seeded provider for config-live's own route. */
  providerId: string;
  clock: () => number;
  boundMs: number;
  settleMs: number;
  mark: (kind: string, detail: string) => void;
}
