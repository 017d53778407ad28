import { PlatformDatabase } from '../local/database-access.ts';
import type { DatabaseAccess, Query } from '../target.ts';
import { PortForward } from './port-forward.ts';

export interface KubeDatabaseOptions {
  namespace: string;
  context?: string;
  database: string;
  user: string;
  password: string;
  timeoutMs: number;
  /** Called before a restore; throws to refuse it (the non-destructive cluster target). */
  beforeRestore?: () => void;
  /** kind: PostgreSQL's NodePort published on this machine; no tunnel is opened. */
  published?: { host: string; port: number };
  /** The tunnel ended while the run still needed it (a fault of the harness). */
  onLost?: (reason: string) => void;
}

/**
 * The platform's PostgreSQL reached on its published NodePort (kind) or through `kubectl port-forward
 * svc/postgresql` on 127.0.0.1 (an existing cluster): queries
 * through a small pool, `pg_dump -Fc` and `pg_restore` from the host (PostgreSQL 15 client tools, like the
 * local target's). The tunnel lives as long as this object.
 */
export class KubeDatabase implements DatabaseAccess, AsyncDisposable {
  private closing = false;

  private constructor(
    private readonly forward: PortForward | undefined,
    private readonly db: PlatformDatabase,
    private readonly beforeRestore?: () => void,
  ) {}

  static async open(o: KubeDatabaseOptions): Promise<KubeDatabase> {
    const forward = o.published
      ? undefined
      : await PortForward.open({
          resource: 'svc/postgresql',
          remotePort: 5432,
          namespace: o.namespace,
          context: o.context,
          timeoutMs: o.timeoutMs,
        });
    const address = o.published ?? { host: '127.0.0.1', port: (forward as PortForward).port };
    const db = new PlatformDatabase({ ...address, database: o.database, user: o.user, password: o.password });
    const access = new KubeDatabase(forward, db, o.beforeRestore);
    void forward?.closed.then(() => {
      if (!access.closing) o.onLost?.(`port-forward to svc/postgresql ended mid-run (kubectl exited)`);
    });
    return access;
  }

  get connectionString(): string {
    return this.db.connectionString;
  }
  get host(): string {
    return this.db.host;
  }
  get port(): number {
    return this.db.port;
  }

  query: Query = (sql, params) => this.db.query(sql, params);

  dump(file: string, timeoutMs: number, opts?: { schemas?: readonly string[] }): Promise<void> {
    return this.db.dump(file, timeoutMs, opts);
  }

  async restore(file: string, timeoutMs: number): Promise<void> {
    this.beforeRestore?.();
    await this.db.restore(file, timeoutMs);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.db.close().catch(() => undefined);
    await this.forward?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
