import { type CommandRunner, execaRunner, mustRun } from '../../common/command.ts';
import { defaultTimeouts } from '../../config/schema.ts';

/** The field manager of upcert's hand edits: what a server-side apply conflict names. */
export const handEditFieldManager = 'upcert-hand-edit';

/** Thin glue over `kubectl` in one context and namespace; failures carry the command and its output's tail. */
export class Kubectl {
  constructor(
    readonly namespace: string,
    readonly context: string | undefined,
    private readonly run: CommandRunner = execaRunner,
    private readonly timeoutMs = defaultTimeouts.kubeCommandSeconds * 1000,
  ) {}

  /** Global flags first, then the verb: `kubectl --context c --namespace n get ...`. */
  args(rest: readonly string[], namespaced = true): string[] {
    return [
      ...(this.context ? ['--context', this.context] : []),
      ...(namespaced ? ['--namespace', this.namespace] : []),
      ...rest,
    ];
  }

  exec(action: string, rest: readonly string[], opts: { input?: string; namespaced?: boolean } = {}): Promise<string> {
    return mustRun(this.run, action, 'kubectl', this.args(rest, opts.namespaced ?? true), {
      timeoutMs: this.timeoutMs,
      input: opts.input,
    });
  }

  async getJson<T>(what: string, name?: string): Promise<T> {
    const out = await this.exec(`kubectl get ${what}`, ['get', what, ...(name ? [name] : []), '-o', 'json']);
    return JSON.parse(out) as T;
  }

  /** A merge patch of a ConfigMap's data, as a person editing it by hand would (its own field manager). */
  patchConfigMapData(name: string, data: Record<string, string>): Promise<string> {
    return this.exec(`hand edit configmap/${name}`, [
      'patch',
      'configmap',
      name,
      '--type',
      'merge',
      '--field-manager',
      handEditFieldManager,
      '-p',
      JSON.stringify({ data }),
    ]);
  }

  describe(kind: string, name: string): Promise<string> {
    return this.exec(`kubectl describe ${kind}/${name}`, ['describe', kind, name]);
  }

  /** Logs of a container; `previous` reads the instance before its last restart. */
  logs(pod: string, container: string, previous = false): Promise<string> {
    return this.exec(`kubectl logs ${pod}`, ['logs', pod, '-c', container, ...(previous ? ['--previous'] : [])]);
  }

  events(): Promise<string> {
    return this.exec('kubectl get events', ['get', 'events', '--sort-by=.lastTimestamp', '-o', 'wide']);
  }

  /** The context's name as kubectl resolves it (when `context` is undefined: the current one). */
  currentContext(): Promise<string> {
    return this.exec('kubectl config current-context', ['config', 'current-context'], { namespaced: false }).then((s) =>
      s.trim(),
    );
  }
}
