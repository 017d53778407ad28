import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Values } from '../../common/deep-merge.ts';
import { BadInputError } from '../../common/errors.ts';
import type { WorkloadName } from './workload-settings.ts';

/** Front-door URLs: what Kubernetes Services are to the components. */
export interface ServiceUrls {
  gateway: string;
  controlPlane: string;
  console: string;
  identity: string;
}

export interface DatabaseAddress {
  host: string;
  port: number;
}

/** The values the rendered configuration reads; the chart must set every one of them. */
const renderedValuesSchema = z.object({
  gateway: z.object({
    maxRequestBytes: z.number().int().positive(),
    responseTag: z.string().max(64).default(''),
    drain: z.object({ propagationSeconds: z.number().min(0), keepAliveTimeoutSeconds: z.number().positive() }),
    usageFlushMs: z.number().int().positive(),
    snapshotPollMs: z.number().int().positive(),
  }),
  controlPlane: z.object({ snapshotRefreshMs: z.number().int().positive() }),
  providerMock: z.object({
    latencyMs: z.number().int().min(0),
    streamChunks: z.number().int().positive(),
    chunkDelayMs: z.number().int().min(0),
  }),
  postgresql: z.object({ database: z.string().min(1), user: z.string().min(1) }),
});
export type RenderedValues = z.infer<typeof renderedValuesSchema>;

export function renderedValues(values: Values): RenderedValues {
  const parsed = renderedValuesSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    throw new BadInputError(`resolve values: ${field}: ${issue.message}`, { field });
  }
  return parsed.data;
}

/** One component's configuration (CONTRACT.md "Rendered configuration"): what its ConfigMap holds. */
export function renderConfig(component: WorkloadName, values: Values, services: ServiceUrls, db: DatabaseAddress) {
  const v = renderedValues(values);
  return {
    component,
    database: { host: db.host, port: db.port, database: v.postgresql.database, user: v.postgresql.user },
    services: {
      controlPlane: services.controlPlane,
      gateway: services.gateway,
      console: services.console,
      identity: services.identity,
    },
    gateway: {
      maxRequestBytes: v.gateway.maxRequestBytes,
      responseTag: v.gateway.responseTag,
      drain: {
        propagationSeconds: v.gateway.drain.propagationSeconds,
        keepAliveTimeoutSeconds: v.gateway.drain.keepAliveTimeoutSeconds,
      },
      usageFlushMs: v.gateway.usageFlushMs,
      snapshotPollMs: v.gateway.snapshotPollMs,
    },
    controlPlane: { snapshotRefreshMs: v.controlPlane.snapshotRefreshMs },
    providerMock: {
      latencyMs: v.providerMock.latencyMs,
      streamChunks: v.providerMock.streamChunks,
      chunkDelayMs: v.providerMock.chunkDelayMs,
    },
  };
}

/** `<configDir>/<component>.json`, written atomically (components poll the file and must never read half of it). */
export async function writeConfigFile(configDir: string, component: WorkloadName, config: unknown): Promise<string> {
  await mkdir(configDir, { recursive: true });
  const file = path.join(configDir, `${component}.json`);
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(config, null, 2)}\n`);
  await rename(tmp, file);
  return file;
}
