import { existsSync, readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { BadInputError } from '../common/errors.ts';
import { type UpcertConfig, upcertConfigSchema } from './schema.ts';

/** Where each `UPCERT_*` environment variable lands in the configuration, and how it is parsed. */
const envMap: Record<string, { path: string[]; parse: (v: string) => unknown }> = {
  UPCERT_FROM: { path: ['from'], parse: String },
  UPCERT_TO: { path: ['to'], parse: String },
  UPCERT_TARGET: { path: ['target'], parse: String },
  UPCERT_PLATFORM: { path: ['platform'], parse: String },
  UPCERT_CONTEXT: { path: ['context'], parse: String },
  UPCERT_REPORT_DIR: { path: ['reportDir'], parse: String },
  UPCERT_RATE: { path: ['load', 'rate'], parse: Number },
  UPCERT_MIN_REQUESTS: { path: ['load', 'minRequests'], parse: Number },
  UPCERT_ONLY: { path: ['only'], parse: list },
  UPCERT_SKIP: { path: ['skip'], parse: list },
  UPCERT_HA: { path: ['local', 'highAvailability'], parse: bool },
  UPCERT_ENDPOINT_PROPAGATION_MS: { path: ['local', 'endpointPropagationMs'], parse: Number },
  UPCERT_GATEWAY_PORT: { path: ['local', 'ports', 'gateway'], parse: Number },
  UPCERT_CONTROL_PLANE_PORT: { path: ['local', 'ports', 'controlPlane'], parse: Number },
  UPCERT_CONSOLE_PORT: { path: ['local', 'ports', 'console'], parse: Number },
  UPCERT_IDENTITY_PORT: { path: ['local', 'ports', 'identity'], parse: Number },
  UPCERT_SCRATCH_POSTGRES: { path: ['scratchPostgres', 'provider'], parse: String },
  UPCERT_SCRATCH_POSTGRES_IMAGE: { path: ['scratchPostgres', 'image'], parse: String },
  UPCERT_BROWSER: { path: ['browser', 'executablePath'], parse: String },
  UPCERT_BROWSER_PROFILE: { path: ['browser', 'profile'], parse: String },
  UPCERT_NAMESPACE: { path: ['kube', 'namespace'], parse: String },
  UPCERT_RELEASE_NAME: { path: ['kube', 'releaseName'], parse: String },
  UPCERT_KIND_CLUSTER: { path: ['kube', 'clusterName'], parse: String },
  UPCERT_KUBERNETES: { path: ['kube', 'kubernetes'], parse: String },
  UPCERT_MATRIX_RESULTS: { path: ['matrix', 'results'], parse: String },
  // set by GitHub Actions on its runners (not UPCERT_*: upcert reads what the CI system sets)
  GITHUB_ACTIONS: { path: ['ci', 'githubActions'], parse: bool },
  GITHUB_STEP_SUMMARY: { path: ['ci', 'stepSummary'], parse: String },
};

function list(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function bool(v: string): boolean | string {
  if (/^(1|true|yes)$/i.test(v)) return true;
  if (/^(0|false|no)$/i.test(v)) return false;
  return v; // left for the schema to reject, naming the variable
}

type Layer = Record<string, unknown>;

function isObject(v: unknown): v is Layer {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge of configuration layers; arrays and scalars of a later layer replace earlier ones. */
export function mergeLayers(...layers: Layer[]): Layer {
  const out: Layer = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined) continue;
      out[k] = isObject(v) && isObject(out[k]) ? mergeLayers(out[k] as Layer, v) : v;
    }
  }
  return out;
}

function setPath(target: Layer, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Layer;
  }
  node[path.at(-1) as string] = value;
}

export function fileLayer(path: string, required: boolean): Layer {
  if (!existsSync(path)) {
    if (required) throw new BadInputError(`config: file not found: ${path}`, { field: '--config' });
    return {};
  }
  if (statSync(path).isDirectory())
    throw new BadInputError(`config: ${path} is a directory, not a configuration file`, { field: '--config' });
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new BadInputError(`config: ${path} is not valid YAML (${(error as Error).message})`, { field: path });
  }
  if (parsed == null) return {};
  if (!isObject(parsed)) throw new BadInputError(`config: ${path} must hold a mapping`, { field: path });
  return parsed;
}

export function envLayer(env: NodeJS.ProcessEnv): { layer: Layer; sources: Map<string, string> } {
  const layer: Layer = {};
  const sources = new Map<string, string>();
  for (const [name, { path, parse }] of Object.entries(envMap)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    setPath(layer, path, parse(raw));
    sources.set(path.join('.'), name);
  }
  return { layer, sources };
}

export interface ResolveInput {
  /** path of `upcert.config.yaml`; an explicitly given file must exist. */
  configFile?: string;
  explicitConfigFile?: boolean;
  env?: NodeJS.ProcessEnv;
  /** the command line's values, already in the configuration's shape. */
  flags?: Layer;
}

/**
 * Resolves the configuration: defaults, then `upcert.config.yaml`, then `UPCERT_*`, then flags. An invalid
 * value is a BadInputError naming the field and where it came from (file, variable or flag).
 */
export function resolveConfig(input: ResolveInput = {}): UpcertConfig {
  const file = input.configFile ?? 'upcert.config.yaml';
  const fromFile = fileLayer(file, input.explicitConfigFile ?? false);
  const { layer: fromEnv, sources } = envLayer(input.env ?? process.env);
  const merged = mergeLayers(fromFile, fromEnv, input.flags ?? {});
  const parsed = upcertConfigSchema.safeParse(merged);
  if (!parsed.success) throw describeIssue(parsed.error, { flags: input.flags ?? {}, env: sources, file, fromFile });
  return parsed.data;
}

function holds(layer: Layer, path: PropertyKey[]): boolean {
  let node: unknown = layer;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return false;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node !== undefined;
}

interface Sources {
  flags: Layer;
  env: Map<string, string>;
  file: string;
  fromFile: Layer;
}

/** Where a field's value came from: the command line, a variable, the file, or the defaults. */
function originOf(path: PropertyKey[], sources: Sources): string {
  const field = path.join('.');
  const env = sources.env.get(field) ?? [...sources.env.entries()].find(([p]) => field.startsWith(`${p}.`))?.[1];
  if (holds(sources.flags, path)) return 'from the command line';
  if (env) return `from ${env}`;
  if (holds(sources.fromFile, path)) return `from ${sources.file}`;
  return `from flags, UPCERT_* or ${sources.file}`;
}

/** Every problem, each with its field and the layer that set it; an unknown key is named with its own path. */
function describeIssue(error: z.ZodError, sources: Sources): BadInputError {
  const problems = error.issues.flatMap((issue) => {
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    return paths.map((path) => {
      const message = issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message;
      return {
        field: path.join('.') || '(root)',
        text: `${path.join('.') || '(root)'}: ${message} (${originOf(path, sources)})`,
      };
    });
  });
  return new BadInputError(`config: ${problems.map((p) => p.text).join('; ')}`, { field: problems[0]?.field });
}
