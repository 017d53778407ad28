import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { probeOnce } from './readiness-probe.ts';
import type { PreStop } from './workload-settings.ts';

const run = promisify(execFile);

/**
 * Runs a container's preStop hook (Kubernetes runs it before SIGTERM, inside the grace period): `sleep`,
 * `exec` (a local command with the replica's environment) or `httpGet` on the replica's port. A failing
 * hook does not stop the termination, as in Kubernetes.
 */
export async function runPreStop(
  hook: PreStop,
  ctx: { port: number | undefined; env: NodeJS.ProcessEnv; deadlineMs: number },
): Promise<void> {
  if (!hook) return;
  const deadline = AbortSignal.timeout(Math.max(1, ctx.deadlineMs));
  try {
    if ('sleep' in hook) await sleep(hook.sleep.seconds * 1000, undefined, { signal: deadline });
    else if ('exec' in hook) {
      const [cmd, ...args] = hook.exec.command;
      await run(cmd!, args, { env: ctx.env, signal: deadline });
    } else if (ctx.port !== undefined) await probeOnce(ctx.port, hook.httpGet.path, ctx.deadlineMs);
  } catch {
    // The kubelet logs a FailedPreStopHook event and goes on with SIGTERM.
  }
}
