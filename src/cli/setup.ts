import { buildPlatform } from '../../fixtures/platform/build.ts';
import { ensureBrowser } from '../browser/find-browser.ts';
import { EnvironmentError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { canInstallDebianPackages, installDebianPackages } from '../config/debian-packages.ts';
import { locatePgTools, type PgTools } from '../db/pg-tools.ts';
import { ensureKubeTools } from '../tools/kube-tools.ts';

const log = createLogger('setup');

/** pg_dump/pg_restore/psql 15: found, or installed from Debian's postgresql-client-15 when root on Debian. */
export async function ensurePgTools(): Promise<PgTools> {
  try {
    return await locatePgTools();
  } catch (error) {
    if (!(error instanceof EnvironmentError) || !canInstallDebianPackages()) throw error;
    await installDebianPackages(['postgresql-client-15'], 'pg_dump and pg_restore for backups and restores');
    return locatePgTools();
  }
}

/**
 * What the README's commands need beyond `npm ci`: PostgreSQL 15's client tools, a browser, helm and kubectl
 * (for chart-check and the Kubernetes targets), and the reference platform's bundles. Each is found, or got (saying what is installed), or the command stops with
 * exit 3 and the command to run.
 */
export async function setup(): Promise<void> {
  const pg = await ensurePgTools();
  log.info(`PostgreSQL client tools: ${pg.pgDump}`);
  const browser = await ensureBrowser();
  log.info(`browser: ${browser.executablePath} (${browser.source})`);
  const kube = await ensureKubeTools();
  log.info(`helm: ${kube.helm} (v${kube.helmVersion}, ${kube.source})`);
  log.info(`kubectl: ${kube.kubectl} (v${kube.kubectlVersion}, ${kube.source})`);
  const build = await buildPlatform();
  log.info(`platform bundles: ${build.missing.length === 0 ? 'built' : `missing ${build.missing.join(', ')}`}`);
}
