import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { EnvironmentError } from '../../common/errors.ts';
import { installCommands } from '../../tools/install-commands.ts';

import type { KubeTool } from '../../tools/kube-tool.ts';

export { installCommands } from '../../tools/install-commands.ts';
export type { KubeTool } from '../../tools/kube-tool.ts';
export { kindVersion } from '../../tools/kube-tool.ts';

/** Tools each target needs: kind builds nothing itself but loads images, so it needs docker too. */
export const toolsOf: Record<'kind' | 'cluster', KubeTool[]> = {
  kind: ['docker', 'kind', 'helm', 'kubectl'],
  cluster: ['helm', 'kubectl'],
};

/** Whether an executable named `name` is on `pathVar` (no shell, no spawn). */
export function onPath(name: string, pathVar: string | undefined): boolean {
  for (const dir of (pathVar ?? '').split(path.delimiter).filter(Boolean)) {
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/**
 * One error naming every missing tool (exit 3); `fix` holds one install command per line, so that the
 * message reads `...; to fix:` followed by `<tool>: <command>` lines.
 */
export function missingToolsError(target: string, missing: readonly KubeTool[]): EnvironmentError {
  const fix = missing.map((t) => `\n  ${t}: ${installCommands[t]}`).join('');
  return new EnvironmentError(`preflight: the ${target} target needs ${missing.join(', ')} (not found on PATH)`, {
    fix,
  });
}

/** Throws `missingToolsError` when any tool the target needs is not on PATH. */
export function requireTools(target: 'kind' | 'cluster', pathVar: string | undefined): void {
  const missing = toolsOf[target].filter((t) => !onPath(t, pathVar));
  if (missing.length > 0) throw missingToolsError(target, missing);
}
