import http from 'node:http';
import type { ComponentStatus, ReplicaStatus } from '../target.ts';
import type { Deployment } from './deployment.ts';

interface VersionAnswer {
  component?: string;
  version?: string;
  digest?: string;
}

function getVersion(port: number, timeoutMs: number): Promise<VersionAnswer | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/version', agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => {
        try {
          resolve(res.statusCode === 200 ? (JSON.parse(body) as VersionAnswer) : undefined);
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(undefined));
  });
}

const joinDistinct = (values: (string | undefined)[]) => [...new Set(values.map((v) => v ?? 'unknown'))].join(',');

/** Asks every live replica of a Deployment for its `/version` (directly, not through the front door). */
export async function componentStatus(deployment: Deployment, timeoutMs = 2000): Promise<ComponentStatus> {
  const replicas: ReplicaStatus[] = await Promise.all(
    [...deployment.replicas.keys()].map(async (r) => {
      const answer = r.port !== undefined && r.pid !== undefined ? await getVersion(r.port, timeoutMs) : undefined;
      return {
        id: r.id,
        version: answer?.version ?? r.version,
        digest: answer?.digest,
        ready: r.ready,
        phase: r.state.phase,
      };
    }),
  );
  const ready = replicas.filter((r) => r.ready);
  return {
    name: deployment.name,
    version: joinDistinct(ready.map((r) => r.version)),
    digest: joinDistinct(ready.map((r) => r.digest)),
    readyReplicas: ready.length,
    replicas,
  };
}
