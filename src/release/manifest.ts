import { z } from 'zod';

/** Names of the platform components that a release pins (provider-mock is harness infrastructure, not a component). */
export const componentNames = ['gateway', 'control-plane', 'console', 'identity'] as const;
export type ComponentName = (typeof componentNames)[number];

export const checkIds = [
  'release-pinned',
  'backup-restorable',
  'zero-dropped-requests',
  'migrations-complete',
  'migration-ordering',
  'consumers-preserved',
  'providers-preserved',
  'guardrails-preserved',
  'budgets-preserved',
  'hand-edits-reconciled',
  'gateway-smoke',
  'console-sign-in',
  'rollback-clean',
  'latency-held',
  'config-live',
] as const;
export type CheckId = (typeof checkIds)[number];

export const phases = ['install', 'upgrade', 'rollback'] as const;
export type Phase = (typeof phases)[number];

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits (sha256)');
const ociDigest = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'expected sha256:<64 hex digits>');
export const versionString = z.string().regex(/^v\d+\.\d+\.\d+$/, 'expected a version like v1.8.0');

export const componentPinSchema = z.strictObject({
  version: versionString,
  /** What the local target runs: the bundle, relative to the repository root, and its sha256. */
  artifact: z.strictObject({ path: z.string().min(1), sha256: sha256Hex }),
  /** What Kubernetes targets run; the digest is recorded when the image is built (null until then). */
  image: z.strictObject({
    repository: z.string().min(1),
    tag: z.string().min(1),
    digest: ociDigest.nullable(),
    /**
     * Which digest `digest` is: `repo`, the manifest digest a registry serves (`npm run images:push`), or
     * `image-id`, the config digest `docker image inspect .Id` gives a local build (a registry cannot resolve it).
     */
    digestKind: z.enum(['repo', 'image-id']).optional(),
  }),
});

/**
 * One version that may upgrade to this release (the support policy, DESIGN.md "Matrix"): directly, or only
 * `through` an intermediate release, with the `reason` a direct upgrade is unsupported.
 */
export const upgradeFromSchema = z
  .strictObject({
    version: versionString,
    through: versionString.optional(),
    reason: z.string().min(1).optional(),
  })
  .refine((e) => Boolean(e.through) === Boolean(e.reason), {
    message: 'an upgrade through another release needs its reason (and a reason needs `through`)',
    path: ['reason'],
  });

export const migrationLedgerKinds = ['node-pg-migrate', 'golang-migrate', 'flyway', 'prisma'] as const;

export const releaseManifestSchema = z.strictObject({
  version: versionString,
  /** Kubernetes baseline of the tested set, e.g. "1.32". */
  kubernetes: z.string().regex(/^\d+\.\d+$/, 'expected major.minor, e.g. 1.32'),
  chart: z.strictObject({
    path: z.string().min(1).optional(),
    oci: z.string().startsWith('oci://').optional(),
    version: z.string().min(1),
    /** Values this release's chart sets on top of the chart defaults (used by broken releases). */
    values: z.record(z.string(), z.unknown()).optional(),
  }),
  components: z.strictObject(
    Object.fromEntries(componentNames.map((n) => [n, componentPinSchema])) as {
      [K in ComponentName]: typeof componentPinSchema;
    },
  ),
  migrations: z.strictObject({
    ledger: z.enum(migrationLedgerKinds),
    table: z.string().min(1),
    head: z.string().min(1),
  }),
  rollback: z.enum(['schema-compatible', 'restore-required']),
  /** Stress releases only (`fixtures/releases/stress/`): a good release's honestly slow step, a build input like a defect. */
  stress: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
  /** The support policy: who may upgrade to this release, and how (absent: no policy declared). */
  upgradeFrom: z.array(upgradeFromSchema).optional(),
  /** Broken releases only: the fault switched on, the side of the pair it plays, the pair, and what must fail. */
  defect: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
  role: z.enum(['from', 'to']).optional(),
  pair: z.string().optional(),
  expect: z.array(z.strictObject({ check: z.enum(checkIds), phase: z.enum(phases) })).optional(),
  /** Checks a defect legitimately drags down with it (declared, never ignored). */
  collateral: z.array(z.strictObject({ check: z.enum(checkIds), phase: z.enum(phases) })).optional(),
});

export type ReleaseManifest = z.infer<typeof releaseManifestSchema>;
export type ComponentPin = z.infer<typeof componentPinSchema>;
export type UpgradeFrom = z.infer<typeof upgradeFromSchema>;
