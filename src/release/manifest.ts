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
/** A version as a platform writes it: the reference platform's `v1.8.0`, or plain semver (`1.15.2`) elsewhere. */
export const platformVersion = z
  .string()
  .regex(/^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, 'expected a version like v1.8.0 or 1.15.2');

/**
 * An npm package a component is installed from (a platform whose components are packages, e.g. Portkey's
 * gateway): the exact version, the registry's integrity of its tarball, and the lockfile (committed, relative to
 * the repository root) that pins every dependency; `npm ci --ignore-scripts` installs it into the project's cache.
 */
export const npmPackageSchema = z.strictObject({
  name: z.string().min(1),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'expected an exact version like 1.15.2'),
  integrity: z.string().regex(/^sha512-[A-Za-z0-9+/]+={0,2}$/, 'expected the registry integrity sha512-<base64>'),
  lockfile: z.string().endsWith('package-lock.json'),
});
export type NpmPackage = z.infer<typeof npmPackageSchema>;

export const componentPinSchema = z.strictObject({
  version: platformVersion,
  /**
   * What the local target runs, relative to the repository root, and its sha256: a bundle's bytes, or, for an npm
   * package, the installed tree (`src/platform/tree-digest.ts`: every file's path and bytes, the package and its
   * dependencies as the lockfile installs them).
   */
  artifact: z.strictObject({ path: z.string().min(1), sha256: sha256Hex }),
  /** Where the artifact comes from when it is an npm package (absent: a bundle built here). */
  package: npmPackageSchema.optional(),
  /** What Kubernetes targets run; the digest is recorded when the image is built (null until then). */
  image: z
    .strictObject({
      repository: z.string().min(1),
      tag: z.string().min(1),
      digest: ociDigest.nullable(),
      /**
       * Which digest `digest` is: `repo`, the manifest digest a registry serves (`npm run images:push`), or
       * `image-id`, the config digest `docker image inspect .Id` gives a local build (a registry cannot resolve it).
       */
      digestKind: z.enum(['repo', 'image-id']).optional(),
    })
    .optional(),
});

/**
 * One version that may upgrade to this release (the support policy, DESIGN.md "Matrix"): directly, or only
 * `through` an intermediate release, with the `reason` a direct upgrade is unsupported.
 */
export const upgradeFromSchema = z
  .strictObject({
    version: platformVersion,
    through: platformVersion.optional(),
    reason: z.string().min(1).optional(),
  })
  .refine((e) => Boolean(e.through) === Boolean(e.reason), {
    message: 'an upgrade through another release needs its reason (and a reason needs `through`)',
    path: ['reason'],
  });

export const migrationLedgerKinds = ['node-pg-migrate', 'golang-migrate', 'flyway', 'prisma'] as const;

export const releaseManifestSchema = z.strictObject({
  /** The platform the release is of (`fixtures/platforms/<name>/`); absent: the reference platform. */
  platform: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
  version: platformVersion,
  /** Kubernetes baseline of the tested set, e.g. "1.32" (absent: a platform that has no chart). */
  kubernetes: z
    .string()
    .regex(/^\d+\.\d+$/, 'expected major.minor, e.g. 1.32')
    .optional(),
  chart: z
    .strictObject({
      path: z.string().min(1).optional(),
      oci: z.string().startsWith('oci://').optional(),
      version: z.string().min(1),
      /** Values this release's chart sets on top of the chart defaults (used by broken releases). */
      values: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  /** The components the release pins: every one its platform has (the reference platform: all four). */
  components: z.strictObject(
    Object.fromEntries(componentNames.map((n) => [n, componentPinSchema.optional()])) as {
      [K in ComponentName]: z.ZodOptional<typeof componentPinSchema>;
    },
  ),
  /** The migration ledger and its head (absent: a platform without a database). */
  migrations: z
    .strictObject({
      ledger: z.enum(migrationLedgerKinds),
      table: z.string().min(1),
      head: z.string().min(1),
    })
    .optional(),
  /**
   * How N+1 goes back to N: `schema-compatible` (N runs on N+1's schema: under load), `restore-required` (the
   * pre-upgrade backup is restored), `stateless` (nothing is stored: a rolling update back, under load).
   */
  rollback: z.enum(['schema-compatible', 'restore-required', 'stateless']),
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

type Pin = NonNullable<ReleaseManifest['components'][ComponentName]>;
/**
 * A release of a platform installed from a Helm chart (the reference platform; every target can run it): a
 * chart, a Kubernetes baseline, a migration ledger, and all four components with an image. `chartRelease`
 * (catalog.ts) narrows a manifest to it, or says what is missing.
 */
export type ChartReleaseManifest = Omit<ReleaseManifest, 'kubernetes' | 'chart' | 'migrations' | 'components'> & {
  kubernetes: string;
  chart: NonNullable<ReleaseManifest['chart']>;
  migrations: NonNullable<ReleaseManifest['migrations']>;
  components: Record<ComponentName, ComponentPin & { image: NonNullable<Pin['image']> }>;
};
