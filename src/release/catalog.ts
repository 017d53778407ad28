import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { BadInputError, EnvironmentError, StepFailedError } from '../common/errors.ts';
import { type ChartReleaseManifest, componentNames, type ReleaseManifest, releaseManifestSchema } from './manifest.ts';
import type { ReleaseLookup } from './support-policy.ts';

/**
 * The release catalog (DESIGN.md "Releases are named"): `fixtures/releases/<name>.yaml` are the good
 * releases, `fixtures/releases/defects/<version>-<defect>.yaml` the broken ones,
 * `fixtures/releases/stress/<version>-<step>.yaml` good releases with an honestly slow step. Paths in manifests and
 * in `file` are relative to the repository root.
 */
export const defaultRoot = fileURLToPath(new URL('../..', import.meta.url));
const releaseDirs = ['fixtures/releases', 'fixtures/releases/defects', 'fixtures/releases/stress'] as const;

/** A release of any platform, as its manifest says (`fixtures/platforms/<name>/releases/` for others than the reference). */
export type AnyRelease = ReleaseManifest & { name: string; file: string };
/** A release of a platform with a Helm chart (the reference platform's, what every target installs). */
export type LoadedRelease = ChartReleaseManifest & { name: string; file: string };
export interface ReleaseFile {
  name: string;
  /** Relative to the repository root, POSIX separators. */
  file: string;
}

/**
 * Where a platform's releases are: the reference platform's in `fixtures/releases` (good, defects, stress),
 * another platform's in the directory its profile names (and its `defects/`).
 */
export function releaseDirsOf(releases: string | undefined): readonly string[] {
  if (releases === undefined || releases === releaseDirs[0]) return releaseDirs;
  return [releases, `${releases}/defects`];
}

export function listReleaseFiles(root: string = defaultRoot, dirs: readonly string[] = releaseDirs): ReleaseFile[] {
  const found: ReleaseFile[] = [];
  for (const dir of dirs) {
    if (!existsSync(path.join(root, dir))) continue;
    for (const entry of readdirSync(path.join(root, dir)).sort()) {
      if (entry.endsWith('.yaml')) found.push({ name: entry.slice(0, -'.yaml'.length), file: `${dir}/${entry}` });
    }
  }
  return found;
}

/** Names of every release, good ones first, then the broken ones (e.g. `v1.8.0-stream-cut`). */
export function listReleases(root: string = defaultRoot): string[] {
  return listReleaseFiles(root).map((r) => r.name);
}

/** The good release of a version (the support policy's source), or undefined when there is none. */
export function releaseLookup(root: string = defaultRoot, platform?: PlatformReleases): ReleaseLookup {
  const good = new Set(
    listReleaseFiles(root, releaseDirsOf(platform?.releases))
      .filter((r) => !r.file.includes('/defects/'))
      .map((r) => r.name),
  );
  return (version) =>
    good.has(version)
      ? platform
        ? loadPlatformRelease(version, platform, root)
        : loadRelease(version, root)
      : undefined;
}

/** What the catalog needs of a platform profile (src/platform/profile.ts): its name and its releases' directory. */
export interface PlatformReleases {
  name: string;
  install: 'chart' | 'npm';
  releases: string;
}

/**
 * A release of a platform (`--platform`): the reference platform's through `loadRelease` (a chart release), any
 * other's from its profile's directory, which must say it is of that platform.
 */
export function loadPlatformRelease(name: string, platform: PlatformReleases, root: string = defaultRoot): AnyRelease {
  if (platform.install === 'chart' && releaseDirsOf(platform.releases) === releaseDirs) return loadRelease(name, root);
  const all = listReleaseFiles(root, releaseDirsOf(platform.releases));
  const match = all.find((r) => r.name === name);
  if (!match) {
    const known = all.map((r) => r.name).join(', ') || '(none)';
    throw new BadInputError(`unknown release of platform ${platform.name}: ${name} (known: ${known})`, {
      field: 'release',
    });
  }
  const manifest = parseManifest(readFileSync(path.join(root, match.file), 'utf8'), match.file);
  checkNaming(manifest, name, match.file, all);
  if (manifest.platform !== platform.name) {
    throw invalid(
      match.file,
      'platform',
      `the release says ${manifest.platform ?? '(reference)'}, its directory ${platform.name}`,
    );
  }
  const release = { ...manifest, name, file: match.file };
  // a chart platform's release is installed by the chart targets: it must say everything they need
  return platform.install === 'chart' ? chartRelease(release) : release;
}

export function loadRelease(name: string, root: string = defaultRoot): LoadedRelease {
  const all = listReleaseFiles(root);
  const matches = all.filter((r) => r.name === name);
  if (matches.length === 0) {
    const known = all.map((r) => r.name).join(', ') || '(none)';
    throw new BadInputError(`unknown release: ${name} (known: ${known})`, { field: 'release' });
  }
  if (matches.length > 1) {
    throw new BadInputError(`ambiguous release: ${name} (${matches.map((m) => m.file).join(' and ')})`);
  }
  const { file } = matches[0]!;
  const manifest = parseManifest(readFileSync(path.join(root, file), 'utf8'), file);
  checkNaming(manifest, name, file, all);
  return chartRelease({ ...manifest, name, file });
}

/**
 * The release as one of a platform with a Helm chart, or a BadInputError naming what it lacks (a platform
 * installed from packages has no chart, Kubernetes baseline or images: only the local target runs it).
 */
export function chartRelease(release: AnyRelease): LoadedRelease {
  const missing: string[] = [
    ...(['chart', 'kubernetes', 'migrations'] as const).filter((k) => release[k] === undefined),
    ...componentNames.flatMap((c) =>
      !release.components[c] ? [`components.${c}`] : release.components[c]?.image ? [] : [`components.${c}.image`],
    ),
  ];
  if (release.rollback === 'stateless') missing.push('rollback other than stateless (a chart release has a database)');
  if (missing.length > 0) {
    const platform = release.platform ?? 'reference';
    throw new BadInputError(
      `release ${release.name} (platform ${platform}) has no ${missing.join(', ')}: it is not a release of a chart platform (${release.file})`,
      { field: missing[0] },
    );
  }
  return release as LoadedRelease;
}

function invalid(file: string, field: string, message: string): BadInputError {
  return new BadInputError(`invalid release manifest ${file}: ${field}: ${message}`, { field });
}

/** Parses and validates one manifest's text; errors name the file and the field path. */
export function parseManifest(text: string, file: string): ReleaseManifest {
  const doc = parseDocument(text, { prettyErrors: true });
  const yamlError = doc.errors[0];
  if (yamlError) throw invalid(file, '(yaml)', yamlError.message.split('\n')[0] ?? yamlError.message);
  const parsed = releaseManifestSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const all = parsed.error.issues.map((i) => `${fieldPath(i)}: ${i.message}`).join('; ');
    throw new BadInputError(`invalid release manifest ${file}: ${all}`, { field: fieldPath(first) });
  }
  return parsed.data;
}

function fieldPath(issue: z.core.$ZodIssue): string {
  const base = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const keys = issue.code === 'unrecognized_keys' ? `.${issue.keys.join(',')}` : '';
  const joined = `${base}${keys}`.replace(/^\./, '');
  return joined || '(root)';
}

/**
 * A good release is named by its version; a broken one `<version>-<defect>` and declares its pair; a stress
 * release `<version>-<stress>` and declares its pair (and expects nothing to fail).
 */
function checkNaming(m: ReleaseManifest, name: string, file: string, all: ReleaseFile[]): void {
  const variant = m.defect ?? m.stress;
  const expected = variant ? `${m.version}-${variant}` : m.version;
  if (name !== expected) {
    const field = m.defect ? 'defect' : m.stress ? 'stress' : 'version';
    throw invalid(file, field, `the file name says ${name}, the manifest ${expected}`);
  }
  const isStressFile = file.startsWith('fixtures/releases/stress/');
  if (isStressFile !== Boolean(m.stress)) {
    throw invalid(
      file,
      'stress',
      isStressFile ? 'required in fixtures/releases/stress/' : 'only stress releases set it',
    );
  }
  if (m.stress) {
    if (m.defect || m.expect) throw invalid(file, m.defect ? 'defect' : 'expect', 'a stress release is a good release');
    for (const key of ['role', 'pair'] as const) {
      if (m[key] === undefined) throw invalid(file, key, 'required for a stress release');
    }
    if (!all.some((r) => r.name === m.pair)) throw invalid(file, 'pair', `unknown release ${m.pair}`);
    return;
  }
  const isDefectFile = file.includes('/defects/');
  if (isDefectFile !== Boolean(m.defect)) {
    throw invalid(
      file,
      'defect',
      isDefectFile ? 'required in fixtures/releases/defects/' : 'only broken releases set it',
    );
  }
  if (!m.defect) return;
  for (const key of ['role', 'pair', 'expect'] as const) {
    if (m[key] === undefined) throw invalid(file, key, 'required for a broken release');
  }
  if (!all.some((r) => r.name === m.pair)) throw invalid(file, 'pair', `unknown release ${m.pair}`);
}

export interface ArtifactPin {
  component: string;
  artifact: { path: string; sha256: string };
}

/** A bundle whose bytes differ from what its release pins. */
export class ArtifactMismatchError extends StepFailedError {
  constructor(
    readonly component: string,
    readonly file: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `verify artifact: ${component} bundle ${file} has sha256 ${actual}, the release pins ${expected} ` +
        '(rebuild with `npm run build:platform`; if the platform changed on purpose, re-pin with `npm run release:pin`)',
    );
    this.name = 'ArtifactMismatchError';
  }
}

/** Checks a bundle against its pin; returns its absolute path and digest. */
export async function verifyArtifact(root: string, pin: ArtifactPin): Promise<{ path: string; sha256: string }> {
  const file = path.resolve(root, pin.artifact.path);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new EnvironmentError(`verify artifact: ${pin.component} bundle ${pin.artifact.path} is missing`, {
      fix: 'npm run build:platform',
      cause: error,
    });
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== pin.artifact.sha256) {
    throw new ArtifactMismatchError(pin.component, pin.artifact.path, pin.artifact.sha256, actual);
  }
  return { path: file, sha256: actual };
}
