import type { ApiWriteGuard } from '../seed/api-writes.ts';
import type { InstalledPlatform } from './target.ts';

/**
 * What a target refuses to do and the limits it runs under (the non-destructive cluster target). The
 * journey reports a refused step's checks as `not-supported` (with the reason) instead of failing them.
 */
export interface SafetyLimits {
  rollback: { allowed: boolean; reason?: string };
  restore: { allowed: boolean; reason?: string };
  /** Highest load rate (requests per second) the target accepts; the run's rate is capped to it. */
  maxLoadRate?: number;
  /** Prefix of every seeded id; the run's tenants are deleted afterwards (`src/seed` `deleteTenants`). */
  tenantPrefix?: string;
  /** The configuration-API writes the run planned (one guard per run); any other write is refused before it is sent. */
  apiGuard?: ApiWriteGuard;
  /** The hand edit this target makes by default, and how long it may take to reach every replica. */
  handEdit?: { setting: 'request-limit' | 'response-tag'; deadlineSeconds: number };
  /**
   * The backup on a shared cluster: only the platform's schemas, and kept in the report only when asked
   * (`--keep-backup`); otherwise it lives in a private temp dir and is deleted at the end.
   */
  backup?: { schemas: readonly string[]; keep: boolean };
}

export interface WithSafetyLimits {
  readonly limits: SafetyLimits;
}

export function safetyLimitsOf(p: InstalledPlatform): SafetyLimits | undefined {
  return (p as Partial<WithSafetyLimits>).limits;
}

/** The load rate a run may offer: the requested one, capped by the target's limit. */
export function cappedRate(requested: number, limits: Pick<SafetyLimits, 'maxLoadRate'> | undefined): number {
  return limits?.maxLoadRate !== undefined ? Math.min(requested, limits.maxLoadRate) : requested;
}
