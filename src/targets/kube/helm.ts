import { CommandFailedError, type CommandRunner, commandLine, execaRunner, mustRun } from '../../common/command.ts';
import { StepFailedError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { defaultTimeouts } from '../../config/schema.ts';

/** Where a Helm release lives. */
export interface HelmRelease {
  /** Release name (`helm install <name>`). */
  name: string;
  namespace: string;
  /** kubeconfig context; undefined uses the current one. */
  context?: string;
}

/**
 * How `helm upgrade`/`rollback` treat a field that another field manager owns. Helm 4 applies server-side, so
 * such a field makes it refuse with a conflict. The conflicts are found before the upgrade (upgrade-conflicts.ts)
 * and recorded; `force` (kind: upcert's own cluster) applies with `--force-conflicts`; `fail` (a shared cluster)
 * forces only fields upcert's own hand edit owns and refuses any other manager's (conflict-decision.ts).
 */
export type ConflictPolicy = 'force' | 'fail';

export interface ApplyOptions {
  /** A packaged chart, a chart directory or an `oci://` reference. */
  chart: string;
  /** `--version` (needed for an `oci://` chart). */
  chartVersion?: string;
  /** Values files in order (`-f values.yaml -f secrets-values.yaml`). */
  valuesFiles: readonly string[];
  timeoutSeconds: number;
  forceConflicts?: boolean;
}

function scope(r: HelmRelease): string[] {
  return ['--namespace', r.namespace, ...(r.context ? ['--kube-context', r.context] : [])];
}

/** Arguments of `helm install` / `helm upgrade`: server-side apply, wait until ready (kstatus watcher). */
export function helmApplyArgs(verb: 'install' | 'upgrade', r: HelmRelease, o: ApplyOptions): string[] {
  return [
    verb,
    r.name,
    o.chart,
    ...(o.chartVersion ? ['--version', o.chartVersion] : []),
    ...scope(r),
    ...(verb === 'install' ? ['--create-namespace'] : []),
    ...o.valuesFiles.flatMap((f) => ['-f', f]),
    '--server-side=true',
    ...(o.forceConflicts ? ['--force-conflicts'] : []),
    '--wait=watcher',
    '--timeout',
    `${o.timeoutSeconds}s`,
  ];
}

export function helmRollbackArgs(r: HelmRelease, revision: number, timeoutSeconds: number, force: boolean): string[] {
  return [
    'rollback',
    r.name,
    String(revision),
    ...scope(r),
    '--server-side=true',
    ...(force ? ['--force-conflicts'] : []),
    '--wait=watcher',
    '--timeout',
    `${timeoutSeconds}s`,
  ];
}

/** One revision of `helm history -o json`. */
export interface HelmRevision {
  revision: number;
  status: string;
  chart: string;
  app_version: string;
  description: string;
}

/** An install, upgrade or rollback that is running: what an interrupt must let end before tearing down. */
interface InFlight {
  what: string;
  /** Aborting it sends helm SIGTERM; null for a rollback, which has no way to stop cleanly (see `settle`). */
  stop: AbortController | null;
  ended: Promise<unknown>;
}

/** Thin glue over the `helm` binary; every failure carries the command and its output's tail. */
export class Helm {
  private readonly inFlight = new Set<InFlight>();
  /** Set once `settle` has begun: no new install, upgrade or rollback starts after an interrupt. */
  private settling = false;

  constructor(
    readonly release: HelmRelease,
    private readonly run: CommandRunner = execaRunner,
    private readonly commandSeconds = defaultTimeouts.kubeCommandSeconds,
    private readonly settleSeconds = defaultTimeouts.helmSettleSeconds,
  ) {}

  /** helm's own `--timeout` speaks first: the process deadline is a short command's time behind it. */
  private exec(action: string, args: string[], timeoutSeconds = this.commandSeconds): Promise<string> {
    return mustRun(this.run, action, 'helm', args, { timeoutMs: (timeoutSeconds + this.commandSeconds) * 1000 });
  }

  /**
   * An operation that changes the release: tracked until it ends, so that `settle` can let it end. It runs in a
   * process group of its own (`detached`), so that a terminal's Ctrl-C reaches upcert, which decides, and not helm.
   */
  private mutate(action: string, args: string[], timeoutSeconds: number, stoppable: boolean): Promise<string> {
    if (this.settling) {
      return Promise.reject(new StepFailedError(`${action}: not started, the run is being interrupted`));
    }
    const stop = stoppable ? new AbortController() : null;
    const ended = mustRun(this.run, action, 'helm', args, {
      timeoutMs: (timeoutSeconds + this.commandSeconds) * 1000,
      detached: true,
      ...(stop ? { signal: stop.signal } : {}),
    });
    const entry: InFlight = { what: commandLine('helm', args.slice(0, 2)), stop, ended };
    this.inFlight.add(entry);
    const forget = () => this.inFlight.delete(entry);
    ended.then(forget, forget);
    return ended;
  }

  install(o: ApplyOptions): Promise<string> {
    return this.mutate(
      `helm install ${this.release.name}`,
      helmApplyArgs('install', this.release, o),
      o.timeoutSeconds,
      true,
    );
  }

  upgrade(o: ApplyOptions): Promise<string> {
    return this.mutate(
      `helm upgrade ${this.release.name}`,
      helmApplyArgs('upgrade', this.release, o),
      o.timeoutSeconds,
      true,
    );
  }

  rollback(revision: number, timeoutSeconds: number, force: boolean): Promise<string> {
    const args = helmRollbackArgs(this.release, revision, timeoutSeconds, force);
    return this.mutate(`helm rollback ${this.release.name}`, args, timeoutSeconds, false);
  }

  /**
   * Lets an install, upgrade or rollback still running end before anything is torn down (Ctrl-C), and starts no
   * new one. An install or upgrade gets SIGTERM, which helm handles like SIGINT: it cancels the action's context
   * and the action records the release as failed (helm/helm v4.1.4 pkg/cmd/upgrade.go and install.go:
   * `signal.Notify(cSignal, os.Interrupt, syscall.SIGTERM)`, then "Release %s has been cancelled." and
   * `cancel()`), instead of leaving it `pending-upgrade`, which refuses every later helm operation on it. A
   * rollback is only waited for: `helm rollback` (pkg/cmd/rollback.go) handles no signal, and one would kill it
   * half-way, leaving `pending-rollback`. Waits at most `waitMs` for each; returns the commands that had not
   * ended by then.
   */
  async settle(waitMs = this.settleSeconds * 1000): Promise<string[]> {
    this.settling = true;
    const running = [...this.inFlight];
    const late: string[] = [];
    await Promise.all(
      running.map(async (op) => {
        op.stop?.abort();
        let timer: NodeJS.Timeout | undefined;
        const waited = await Promise.race([
          op.ended.then(
            () => true,
            () => true,
          ),
          new Promise<false>((resolve) => {
            timer = setTimeout(() => resolve(false), waitMs);
          }),
        ]);
        clearTimeout(timer);
        if (!waited) late.push(op.what);
      }),
    );
    return late;
  }

  /** Operations that change the release and have not ended (`helm upgrade upcert-platform`, ...). */
  get running(): string[] {
    return [...this.inFlight].map((op) => op.what);
  }

  async history(): Promise<HelmRevision[]> {
    const out = await this.exec('helm history', ['history', this.release.name, ...scope(this.release), '-o', 'json']);
    return JSON.parse(out) as HelmRevision[];
  }

  /** The deployed release's values (`helm get values --all`), or undefined when there is no such release. */
  async deployedValues(): Promise<Record<string, unknown> | undefined> {
    const args = ['get', 'values', this.release.name, ...scope(this.release), '--all', '-o', 'json'];
    const r = await this.run('helm', args, { timeoutMs: this.commandSeconds * 1000 });
    if (r.exitCode !== 0) {
      if (/not found/i.test(r.stderr)) return undefined;
      throw new CommandFailedError('helm get values', commandLine('helm', args), r);
    }
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  /** `helm package <dir> --version V --app-version V -d <out>`: the chart as the release ships it; returns the .tgz. */
  async package(chartDir: string, version: string, outDir: string): Promise<string> {
    const out = await this.exec('helm package', [
      'package',
      chartDir,
      '--version',
      version,
      '--app-version',
      version,
      '-d',
      outDir,
    ]);
    const m = /saved it to: (\S+)/.exec(out);
    if (!m) throw new Error(`helm package: unexpected output ${out.trim()}`);
    return m[1]!;
  }

  /** `helm pull <oci://...> --version V --untar -d <dir>`: an OCI chart unpacked locally (no cluster involved). */
  pull(ref: string, version: string, dir: string): Promise<string> {
    return this.exec('helm pull', ['pull', ref, '--version', version, '--untar', '-d', dir]);
  }

  /** `helm template`: the chart rendered with the values files, without the cluster (what --plan reads). */
  template(o: ApplyOptions): Promise<string> {
    return this.exec('helm template', [
      'template',
      this.release.name,
      o.chart,
      ...(o.chartVersion ? ['--version', o.chartVersion] : []),
      '--namespace',
      this.release.namespace,
      ...o.valuesFiles.flatMap((f) => ['-f', f]),
    ]);
  }

  uninstall(timeoutSeconds: number): Promise<string> {
    return this.exec(
      'helm uninstall',
      ['uninstall', this.release.name, ...scope(this.release), '--wait', '--timeout', `${timeoutSeconds}s`],
      timeoutSeconds,
    );
  }

  toString(): string {
    return commandLine('helm', ['--namespace', this.release.namespace, this.release.name]);
  }
}

/**
 * The first thing a Kubernetes platform's teardown does (an interrupt, or the end of the run): let a helm
 * operation still running end (`Helm.settle`), and say when one did not, with the commands that clear it.
 */
export async function settleHelm(helm: Helm, log: Logger): Promise<void> {
  const running = helm.running;
  if (running.length === 0) return;
  log.warn(`stopping while \`${running.join('`, `')}\` runs: letting it end (an install or upgrade is told to stop)`);
  const late = await helm.settle();
  if (late.length === 0) return;
  const { name, namespace } = helm.release;
  log.error(
    `\`${late.join('`, `')}\` had not ended: release ${name} may be left pending, which refuses the next helm operation on it; \`helm history ${name} -n ${namespace}\` shows it, \`helm rollback ${name} -n ${namespace}\` clears it`,
  );
}
