import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { BadInputError } from '../common/errors.ts';
import { defaultRoot } from '../release/catalog.ts';
import { componentNames } from '../release/manifest.ts';
import { features } from './features.ts';

/**
 * A platform as data (DESIGN.md "Platforms"): `fixtures/platforms/<name>/platform.yaml`, chosen with
 * `--platform NAME`. It says how the platform's releases are installed (a Helm chart, or npm packages run as
 * processes), how one replica starts and when it is ready, how the gateway is spoken to, what traffic the load
 * sends when the platform has no tenant API to seed, what a Deployment of it would say (replicas, preStop,
 * grace period), and which features it cannot offer, with the reason: a check that needs one is not-supported,
 * decided before the run. Nothing in `src/journey` or `src/checks` names a platform.
 */
const feature = z.enum(features);

const replicaStartSchema = z.strictObject({
  /**
   * The command of one replica. `{node}`: the Node.js running upcert; `{package}`: the installed package's
   * directory; `{port}`: the loopback port the harness chose for this replica.
   */
  command: z.array(z.string().min(1)).min(1),
  env: z.record(z.string(), z.string()).default({}),
  /** Where readiness is; `note` says what the answer means (shown in the evidence: a product without one). */
  readiness: z.strictObject({ httpGet: z.string().startsWith('/'), note: z.string().min(1) }),
});

const consumerSchema = z.strictObject({
  consumer: z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+\.[a-z0-9-]+$/, 'expected organization.project.user'),
  key: z.string().min(8),
  model: z.string().min(1),
  expect: z.union([z.literal(200), z.literal(403), z.literal(429)]),
});

export const platformProfileSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  /** Where the product's source and documentation are. */
  source: z.url(),
  /** `chart`: a Helm chart and images (every target); `npm`: packages run as processes (the local target). */
  install: z.enum(['chart', 'npm']),
  /** The release manifests, relative to the repository root. */
  releases: z.string().min(1),
  /** npm platforms: how a replica of each component starts (the manifest's `components` say at which version). */
  start: z.partialRecord(z.enum(componentNames), replicaStartSchema).optional(),
  gateway: z.strictObject({
    /** Headers every request to the gateway carries besides the key (`{providerMock}`: the mock upstream's URL). */
    headers: z.record(z.string(), z.string()).default({}),
    /**
     * How the harness knows which release answered: `headers` (`x-gateway-version`, `x-served-by`), or
     * `front-door` (the product says nothing: the local front door's backend for the connection).
     */
    versionSignal: z.enum(['headers', 'front-door']),
  }),
  /** The load's consumers and the prices it costs them at, when there is no tenant API to seed them through. */
  traffic: z
    .strictObject({
      /** at least ten: a certification's minimum (DESIGN.md), said here rather than after the install */
      consumers: z.array(consumerSchema).min(10),
      prices: z.record(
        z.string(),
        z.strictObject({
          inputMicroUsdPerToken: z.number().int().min(0),
          outputMicroUsdPerToken: z.number().int().min(0),
        }),
      ),
    })
    .optional(),
  /**
   * `chart` platforms whose chart is published: where it is and how it is installed (the product's docs), for a
   * customer's own cluster; the reference platform's chart is in the repository instead.
   */
  chart: z
    .strictObject({
      oci: z.string().startsWith('oci://'),
      releaseName: z.string().min(1),
      namespace: z.string().min(1),
      /** The values files the docs layer, in order (e.g. values.yaml, then secrets-values.yaml). */
      valuesFiles: z.array(z.string().min(1)).default([]),
    })
    .optional(),
  /** The browser sign-in profile of its console (`fixtures/profiles/<name>.yaml`). */
  console: z.strictObject({ signInProfile: z.string().regex(/^[a-z0-9-]+$/) }).optional(),
  /**
   * Where the platform's tenants come from when upcert cannot speak its configuration API: a tenant adapter
   * module (src/platform/tenant-adapter.ts), relative to the repository root, that a customer fills in.
   */
  tenants: z.strictObject({ adapter: z.string().endsWith('.ts') }).optional(),
  /** The gateway's documented status codes, by meaning (what a check may expect of it). */
  statusCodes: z.record(z.string(), z.number().int().min(100).max(599)).optional(),
  /** npm platforms: what a Deployment of each workload would say, in the chart's terms (workload-settings.ts). */
  deployment: z.record(z.string(), z.unknown()).default({}),
  /** The features the platform cannot offer, each with the reason a reader is shown. */
  unsupported: z.partialRecord(feature, z.string().min(1)).default({}),
});

export type PlatformProfile = z.infer<typeof platformProfileSchema> & { dir: string };
export type ReplicaStart = z.infer<typeof replicaStartSchema>;

export const referencePlatform = 'reference';
const platformsDir = 'fixtures/platforms';

/** The names of every platform profile in the repository. */
export function listPlatforms(root: string = defaultRoot): string[] {
  const dir = path.join(root, platformsDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => existsSync(path.join(dir, d, 'platform.yaml')))
    .sort();
}

/** Loads `fixtures/platforms/<name>/platform.yaml`; errors name the flag, the file and the field. */
export function loadPlatform(name: string, root: string = defaultRoot): PlatformProfile {
  const dir = path.join(platformsDir, name);
  const file = path.join(dir, 'platform.yaml');
  if (!/^[a-z0-9-]+$/.test(name) || !existsSync(path.join(root, file))) {
    throw new BadInputError(`--platform: unknown platform ${name} (known: ${listPlatforms(root).join(', ')})`, {
      field: 'platform',
    });
  }
  const doc = parseDocument(readFileSync(path.join(root, file), 'utf8'));
  if (doc.errors[0]) throw new BadInputError(`invalid platform ${file}: ${doc.errors[0].message.split('\n')[0]}`);
  const parsed = platformProfileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(root)';
    throw new BadInputError(`invalid platform ${file}: ${field}: ${issue.message}`, { field });
  }
  const profile = { ...parsed.data, dir };
  if (profile.name !== name) {
    throw new BadInputError(`invalid platform ${file}: name: the directory says ${name}, the file ${profile.name}`);
  }
  if (profile.install === 'npm' && !profile.start) {
    throw new BadInputError(`invalid platform ${file}: start: an npm platform says how its replicas start`, {
      field: 'start',
    });
  }
  if (!profile.traffic && !profile.tenants && profile.unsupported['tenant-api']) {
    throw new BadInputError(
      `invalid platform ${file}: traffic: without a tenant API the load needs its consumers here (or a tenants.adapter)`,
      { field: 'traffic' },
    );
  }
  return profile;
}
