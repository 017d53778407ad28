/**
 * `npm run images:push -- --registry R [release ...]`: pushes the built images (npm run images:build) of each
 * release (default: every good release) to R and records each repository digest (`digestKind: repo`) in its
 * manifest, which the cluster target needs (`--registry R` prefixes the repositories).
 */
import { parseArgs } from 'node:util';
import { BadInputError, exitCodeOf } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { defaultRoot, listReleaseFiles, loadRelease } from './catalog.ts';
import { pushImages } from './image-push.ts';
import { recordImageDigests } from './images.ts';

const log = createLogger('images');

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { registry: { type: 'string' } }, allowPositionals: true });
  if (!values.registry)
    throw new BadInputError('--registry: required (e.g. --registry 127.0.0.1:5000)', { field: '--registry' });
  const names =
    positionals.length > 0
      ? positionals
      : listReleaseFiles(defaultRoot)
          .filter((r) => !r.file.includes('/defects/'))
          .map((r) => r.name);
  const releases = names.map((n) => loadRelease(n));
  const pushed = await pushImages({ releases, registry: values.registry, log });
  const changed = await recordImageDigests(defaultRoot, releases, pushed);
  log.info(
    changed.length > 0
      ? `recorded repository digests in ${changed.join(', ')}`
      : 'manifests already record these digests',
  );
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
