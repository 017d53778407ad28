/**
 * `npm run images:build [-- --base IMAGE] [release ...]`: builds one image per component of each release
 * (default: every good release) and records each image's digest in its manifest. Build once: later steps
 * retag these images, never rebuild them.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { buildPlatform } from '../../fixtures/platform/build.ts';
import { exitCodeOf } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { defaultRoot, listReleaseFiles, loadRelease } from './catalog.ts';
import { buildImages, buildProviderMockImage, chooseBase, recordImageDigests } from './images.ts';

const log = createLogger('images');

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { base: { type: 'string' } }, allowPositionals: true });
  const names =
    positionals.length > 0
      ? positionals
      : listReleaseFiles(defaultRoot)
          .filter((r) => !r.file.includes('/defects/') && !r.file.includes('/stress/'))
          .map((r) => r.name);
  const releases = names.map((n) => loadRelease(n));
  const build = await buildPlatform({ releases: names });
  if (build.missing.length > 0) throw new Error(`build: missing platform sources: ${build.missing.join(', ')}`);
  const base = await chooseBase(values.base);
  log.info(`building images of ${names.join(', ')} on ${base}`);
  const built = await buildImages({ root: defaultRoot, releases, base, log });
  const changed = await recordImageDigests(defaultRoot, releases, built);
  // provider-mock: the image the chart's values name (a kind run loads it with the release images)
  const chartValues = parse(readFileSync(path.join(defaultRoot, 'fixtures/platform/chart/values.yaml'), 'utf8')) as {
    providerMock: { image: { repository: string; tag: string } };
  };
  const { repository, tag } = chartValues.providerMock.image;
  await buildProviderMockImage({ root: defaultRoot, base, ref: `${repository}:${tag}`, log });
  const kinds = new Set(built.map((b) => b.digestKind));
  if (kinds.has('image-id'))
    log.info(
      'no registry digest: recorded image IDs (sha256 of the image config), as `docker image inspect` reports them',
    );
  log.info(changed.length > 0 ? `recorded digests in ${changed.join(', ')}` : 'manifests already record these digests');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log.error((error as Error).message);
    process.exitCode = exitCodeOf(error);
  },
);
