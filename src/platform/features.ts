/**
 * What a check may need of the system under test (gateway-api conformance's `Features`): a target declares
 * the features it cannot offer, with the reason, and the runner reports a check that needs one as
 * `not-supported` with that reason, decided from the declaration before the check runs (never by a
 * gatherer failing half-way). A platform profile (issue 14) declares its own the same way; the run's
 * unsupported set is the union.
 */
export const features = [
  /** the configuration API the seed and fingerprint modules speak (tenants, keys, routes, guardrails, budgets). */
  'tenant-api',
  /** a migration ledger in the platform's database that says which migrations ran and when. */
  'migration-ledger',
  /** the web console, reachable by a browser on this machine through its sign-in (identity) flow. */
  'console',
  /** the gateway says which release answered (`x-gateway-version`, `x-served-by`). */
  'version-signal',
  /** every replica reports its version and digest (`/version`, or the pod's imageID). */
  'replica-identity',
  /** month-to-date spend per budget, exact to the micro-USD, through the API. */
  'spend-records',
  /** a chart-owned setting can be changed on the live system (a ConfigMap edit) and read back. */
  'live-edit',
  /** the platform database can be dumped (`pg_dump -Fc`) and restored. */
  'database-backup',
] as const;
export type Feature = (typeof features)[number];

/** The features a target (or platform) cannot offer, each with the reason a reader is shown. */
export type UnsupportedFeatures = Partial<Record<Feature, string>>;

/** The first feature of `needs` that is unsupported, as `<feature>: <reason>`; undefined when all are there. */
export function missingFeature(needs: readonly Feature[], unsupported: UnsupportedFeatures): string | undefined {
  const missing = needs.find((f) => unsupported[f] !== undefined);
  return missing ? `${missing} not supported: ${unsupported[missing]}` : undefined;
}
