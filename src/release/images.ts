import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseDocument, Scalar } from 'yaml';
import { type CommandRunner, execaRunner, mustRun } from '../common/command.ts';
import { EnvironmentError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { type LoadedRelease, verifyArtifact } from './catalog.ts';
import { type ComponentName, componentNames } from './manifest.ts';

/** The Dockerfile every component image is built from (ARG BASE, ARG BUNDLE). */
export const dockerfile = 'fixtures/platform/docker/Dockerfile';

export interface BuiltImage {
  release: string;
  component: ComponentName;
  ref: string;
  /** The OCI digest recorded in the manifest: the registry digest when there is one, else the image ID. */
  digest: string;
  /** `repo` (a registry knows it) or `image-id` (local only: `docker image inspect` `.Id`, the config digest). */
  digestKind: 'repo' | 'image-id';
}

/**
 * `docker image inspect` → the digest to record. A pushed or pulled image has a RepoDigest
 * (`repo@sha256:<manifest digest>`), what a registry serves and a pod's imageID reports; a locally built one
 * has none, so its image ID (`sha256:<config digest>`) stands in, which is also what a kind node knows it by.
 */
export function recordedDigest(
  inspect: { Id: string; RepoDigests?: string[] | null },
  repository: string,
): Pick<BuiltImage, 'digest' | 'digestKind'> {
  const repo = (inspect.RepoDigests ?? []).find((d) => d.startsWith(`${repository}@`));
  if (repo) return { digest: repo.slice(repo.indexOf('@') + 1), digestKind: 'repo' };
  return { digest: inspect.Id, digestKind: 'image-id' };
}

export interface BuildImagesOptions {
  root: string;
  releases: LoadedRelease[];
  /** Base image (`node:20-bookworm-slim` for users; `local/node:20` on machines with no registry). */
  base: string;
  /** Image reference per component; default `<repository>:<tag>` of the manifest (tests use their own). */
  refFor?: (release: LoadedRelease, component: ComponentName) => string;
  run?: CommandRunner;
  log: Logger;
}

/**
 * Builds one image per component and release: a temp context holding the Dockerfile and the release's
 * bundle (checked against the manifest's sha256 first), `DOCKER_BUILDKIT=0 docker build --build-arg BASE=...
 * --build-arg BUNDLE=...` (the classic builder works with a local base image and no registry).
 */
export async function buildImages(o: BuildImagesOptions): Promise<BuiltImage[]> {
  const run = o.run ?? execaRunner;
  const env = { ...process.env, DOCKER_BUILDKIT: '0' };
  const built: BuiltImage[] = [];
  for (const release of o.releases) {
    for (const component of componentNames) {
      const pin = release.components[component];
      const bundle = await verifyArtifact(o.root, { component, artifact: pin.artifact });
      const ref = o.refFor?.(release, component) ?? `${pin.image.repository}:${pin.image.tag}`;
      const ctx = await mkdtemp(path.join(os.tmpdir(), 'upcert-image-'));
      try {
        await copyFile(path.join(o.root, dockerfile), path.join(ctx, 'Dockerfile'));
        await copyFile(bundle.path, path.join(ctx, 'main.mjs'));
        const args = ['build', '--build-arg', `BASE=${o.base}`, '--build-arg', 'BUNDLE=main.mjs', '-t', ref, ctx];
        await mustRun(run, `build image ${ref}`, 'docker', args, { timeoutMs: 600_000, env });
      } finally {
        await rm(ctx, { recursive: true, force: true });
      }
      const inspect = JSON.parse(
        await mustRun(run, `inspect ${ref}`, 'docker', ['image', 'inspect', ref], { timeoutMs: 30_000 }),
      ) as {
        Id: string;
        RepoDigests?: string[];
      }[];
      const digest = recordedDigest(inspect[0]!, ref.slice(0, ref.lastIndexOf(':')));
      o.log.info(`built ${ref} (${release.name}/${component}): ${digest.digest} [${digest.digestKind}]`);
      built.push({ release: release.name, component, ref, ...digest });
    }
  }
  return built;
}

/** Writes each built image's digest into its release manifest, keeping comments and layout (yaml Document API). */
export async function recordImageDigests(
  root: string,
  releases: LoadedRelease[],
  built: BuiltImage[],
): Promise<string[]> {
  const changed: string[] = [];
  for (const release of releases) {
    const file = path.join(root, release.file);
    const text = await readFile(file, 'utf8');
    const doc = parseDocument(text);
    for (const b of built.filter((x) => x.release === release.name)) {
      const node = new Scalar(b.digest);
      node.type = 'QUOTE_DOUBLE';
      doc.setIn(['components', b.component, 'image', 'digest'], node);
      doc.setIn(['components', b.component, 'image', 'digestKind'], b.digestKind);
    }
    const next = doc.toString({ lineWidth: 0 });
    if (next !== text) {
      await writeFile(file, next);
      changed.push(release.file);
    }
  }
  return changed;
}

/** Which base to build on: the one asked for, else `local/node:20` when this Docker has it, else the public one. */
export async function chooseBase(asked: string | undefined, run: CommandRunner = execaRunner): Promise<string> {
  if (asked) return asked;
  const local = await run('docker', ['image', 'inspect', 'local/node:20'], { timeoutMs: 30_000 }).catch(
    (error: unknown) => {
      throw new EnvironmentError(`build images: docker is not available (${(error as Error).message})`, {
        fix: 'curl -fsSL https://get.docker.com | sh',
      });
    },
  );
  return local.exitCode === 0 ? 'local/node:20' : 'node:20-bookworm-slim';
}

/**
 * provider-mock's image (the chart's `providerMock.image`, `upcert/provider-mock:1`): not part of any release,
 * but a kind run loads it onto the nodes like the release images (the chart runs it with `Never` on kind), so
 * it is built from the same Dockerfile out of `dist/platform/provider-mock.mjs`.
 */
export async function buildProviderMockImage(o: {
  root: string;
  base: string;
  ref: string;
  run?: CommandRunner;
  log: Logger;
}): Promise<string> {
  const run = o.run ?? execaRunner;
  const ctx = await mkdtemp(path.join(os.tmpdir(), 'upcert-image-'));
  try {
    await copyFile(path.join(o.root, dockerfile), path.join(ctx, 'Dockerfile'));
    await copyFile(path.join(o.root, 'dist/platform/provider-mock.mjs'), path.join(ctx, 'main.mjs'));
    const args = ['build', '--build-arg', `BASE=${o.base}`, '--build-arg', 'BUNDLE=main.mjs', '-t', o.ref, ctx];
    await mustRun(run, `build image ${o.ref}`, 'docker', args, {
      timeoutMs: 600_000,
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
    });
  } finally {
    await rm(ctx, { recursive: true, force: true });
  }
  o.log.info(`built ${o.ref} (provider-mock)`);
  return o.ref;
}
