import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from '../../common/logger.ts';
import { redactText } from '../../common/logger.ts';
import type { Kubectl } from './kubectl.ts';
import { restartedContainers, unreadyPods } from './pod-state.ts';

/**
 * Logs of a Kubernetes run into `dir` (reports/<run-id>/logs): the namespace's events, `kubectl describe` of
 * every unready pod, each container's current log and, for containers that restarted, the previous
 * instance's log. Best effort: one failed command is written down and the rest still run. Secrets redacted.
 */
export async function collectKubeLogs(
  kubectl: Kubectl,
  pods: readonly V1Pod[],
  dir: string,
  log: Logger,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const save = async (name: string, produce: () => Promise<string>) => {
    const file = path.join(dir, name);
    const text = await produce().catch((error: unknown) => `(could not collect: ${(error as Error).message})\n`);
    await writeFile(file, redactText(text));
    written.push(file);
  };
  await save('events.txt', () => kubectl.events());
  for (const p of unreadyPods(pods)) await save(`describe-${p.name}.txt`, () => kubectl.describe('pod', p.name));
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    for (const c of pod.spec?.containers ?? []) await save(`${name}.${c.name}.log`, () => kubectl.logs(name, c.name));
  }
  for (const r of restartedContainers(pods)) {
    await save(`${r.pod}.${r.container}.previous.log`, () => kubectl.logs(r.pod, r.container, true));
  }
  log.info(`collected ${written.length} log files into ${dir}`);
  return written;
}
