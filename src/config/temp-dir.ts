import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface RunTempDir {
  dir: string;
  /** Removes the dir and everything in it (idempotent; also done when the process exits). */
  remove(): void;
}

/**
 * The run's own temp dir: TMPDIR points at it for this process and every process it starts (vitest's cache,
 * the worker, the local platform's dirs, PostgreSQL, Chromium's profile and `org.chromium.Chromium.*` files),
 * so one removal at the end, on an interrupt, or at exit leaves nothing of the run in the machine's temp dir.
 * Lives in the configuration module: it is the one place that writes the process environment.
 */
export function openRunTempDir(prefix = 'upcert-run-'): RunTempDir {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  // traversable, not listable: embedded PostgreSQL runs as another user (when we are root) and must reach its
  // own dir inside; every dir in here is made private (mkdtemp) by whoever makes it
  chmodSync(dir, 0o711);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    if (process.env.TMPDIR === dir) {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  process.once('exit', remove);
  return { dir, remove };
}
