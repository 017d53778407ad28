import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { StepFailedError } from '../../common/errors.ts';
import { locatePgTools } from '../../db/pg-tools.ts';
import { restoreDump } from '../../db/restore.ts';
import type { DatabaseAccess } from '../target.ts';

const run = promisify(execFile);

export interface DatabaseAddress {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

/** Queries through a small pool; dump and restore through PostgreSQL 15's pg_dump / pg_restore. */
export class PlatformDatabase implements DatabaseAccess, AsyncDisposable {
  private pool: pg.Pool | undefined;

  constructor(private readonly address: DatabaseAddress) {}

  get host(): string {
    return this.address.host;
  }
  get port(): number {
    return this.address.port;
  }
  get connectionString(): string {
    const a = this.address;
    return `postgresql://${encodeURIComponent(a.user)}:${encodeURIComponent(a.password)}@${a.host}:${a.port}/${encodeURIComponent(a.database)}`;
  }

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    if (!this.pool) {
      this.pool = new pg.Pool({ connectionString: this.connectionString, max: 4 });
      this.pool.on('error', () => undefined); // an idle client's error surfaces on the next query
    }
    const result = await this.pool.query(sql, params as unknown[] | undefined);
    return result.rows as T[];
  }

  private env(): NodeJS.ProcessEnv {
    const a = this.address;
    return {
      ...process.env,
      PGHOST: a.host,
      PGPORT: String(a.port),
      PGUSER: a.user,
      PGPASSWORD: a.password,
      PGDATABASE: a.database,
    };
  }

  /** `pg_dump -Fc` of the platform database into `file`; only the given schemas (`-n`) when asked. */
  async dump(file: string, timeoutMs: number, opts: { schemas?: readonly string[] } = {}): Promise<void> {
    const { pgDump } = await locatePgTools();
    const only = (opts.schemas ?? []).flatMap((s) => ['-n', s]);
    await run(pgDump, ['-Fc', ...only, '-f', file], { env: this.env(), timeout: timeoutMs }).catch((error) => {
      throw new StepFailedError(`back up: pg_dump failed (${(error as { stderr?: string }).stderr?.trim() || error})`, {
        cause: error,
      });
    });
  }

  /** Restores a `-Fc` dump over the live database so that it holds exactly the backup, atomically (db/restore.ts). */
  async restore(file: string, timeoutMs: number): Promise<void> {
    await restoreDump({ env: this.env(), file, timeoutMs });
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
