import { CommandFailedError, type CommandRunner, commandLine, execaRunner, mustRun } from '../../common/command.ts';
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

/** Thin glue over the `helm` binary; every failure carries the command and its output's tail. */
export class Helm {
  constructor(
    readonly release: HelmRelease,
    private readonly run: CommandRunner = execaRunner,
    private readonly commandSeconds = defaultTimeouts.kubeCommandSeconds,
  ) {}

  /** helm's own `--timeout` speaks first: the process deadline is a short command's time behind it. */
  private exec(action: string, args: string[], timeoutSeconds = this.commandSeconds): Promise<string> {
    return mustRun(this.run, action, 'helm', args, { timeoutMs: (timeoutSeconds + this.commandSeconds) * 1000 });
  }

  install(o: ApplyOptions): Promise<string> {
    return this.exec(`helm install ${this.release.name}`, helmApplyArgs('install', this.release, o), o.timeoutSeconds);
  }

  upgrade(o: ApplyOptions): Promise<string> {
    return this.exec(`helm upgrade ${this.release.name}`, helmApplyArgs('upgrade', this.release, o), o.timeoutSeconds);
  }

  rollback(revision: number, timeoutSeconds: number, force: boolean): Promise<string> {
    const args = helmRollbackArgs(this.release, revision, timeoutSeconds, force);
    return this.exec(`helm rollback ${this.release.name}`, args, timeoutSeconds);
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
