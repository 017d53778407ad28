import {
  type ComponentProcess,
  startComponent,
  waitReady,
} from '../../fixtures/platform/test/support/component-process.ts';
import type { TestDatabase } from '../../fixtures/platform/test/support/database.ts';
import { type PlatformSecrets, testConfig } from '../../fixtures/platform/test/support/settings.ts';

export {
  type ComponentProcess,
  componentMain,
  startComponent,
  waitFor,
  waitReady,
} from '../../fixtures/platform/test/support/component-process.ts';
export { freePort } from '../../fixtures/platform/test/support/free-port.ts';
export { startTestPlatform } from '../../fixtures/platform/test/support/platform.ts';
export { type PlatformSecrets, testConfig, testSecrets } from '../../fixtures/platform/test/support/settings.ts';

export interface ReadyComponentOptions {
  version: string;
  db: TestDatabase;
  /** Another database of the same server (default: the server's own). */
  database?: string;
  secrets: PlatformSecrets;
  /** The control plane's URL (the gateway's snapshot source). */
  controlPlaneUrl?: string;
}

/** Starts a component from source against `db` and resolves once `/readyz` answers 200. */
export async function startReadyComponent(component: string, opts: ReadyComponentOptions): Promise<ComponentProcess> {
  const { host, port, user } = opts.db;
  const proc = await startComponent({
    component,
    version: opts.version,
    config: testConfig({
      component,
      db: { host, port, user, database: opts.database ?? opts.db.database },
      controlPlane: opts.controlPlaneUrl,
    }),
    secrets: opts.secrets,
  });
  try {
    await waitReady(proc.url, 60_000);
  } catch (error) {
    await proc.stop('SIGKILL');
    throw new Error(`${(error as Error).message}; last output:\n${proc.lines.slice(-20).join('\n')}`);
  }
  return proc;
}
