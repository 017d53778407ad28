import { type CommandRunner, execaRunner, mustRun } from '../../common/command.ts';
import { defaultTimeouts } from '../../config/schema.ts';
import type { KubeObject } from './managed-fields.ts';

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

  /**
   * The live objects of `refs` with their managedFields, in one `kubectl get a/x b/y ... -o json
   * --show-managed-fields --ignore-not-found`. kubectl omits managedFields from JSON and YAML unless
   * `--show-managed-fields` is given (since 1.21, kubernetes/kubernetes#96878; the flag and its
   * `OmitManagedFieldsPrinter` default: staging/src/k8s.io/cli-runtime/pkg/genericclioptions/json_yaml_flags.go;
   * the Server-Side Apply page says the same). An object that does not exist is left out (`--ignore-not-found`);
   * kubectl prints nothing when none exists, the object itself for one, a `List` for more
   * (staging/src/k8s.io/kubectl/pkg/cmd/get/get.go `printGeneric`).
   */
  async liveObjects(refs: readonly { apiVersion: string; kind: string; name: string }[]): Promise<KubeObject[]> {
    if (refs.length === 0) return [];
    const names = refs.map((r) => `${resourceArg(r.apiVersion, r.kind)}/${r.name}`);
    const out = await this.exec('kubectl get --show-managed-fields', [
      'get',
      ...names,
      '-o',
      'json',
      '--show-managed-fields',
      '--ignore-not-found',
    ]);
    if (out.trim() === '') return [];
    const parsed = JSON.parse(out) as KubeObject | { kind: 'List'; items: KubeObject[] };
    return parsed.kind === 'List' ? (parsed as { items: KubeObject[] }).items : [parsed as KubeObject];
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

/** `deployment.v1.apps` for apps/v1 Deployment, `configmap` for v1 ConfigMap: kubectl's `resource.version.group`. */
export function resourceArg(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return group ? `${kind.toLowerCase()}.${version}.${group}` : kind.toLowerCase();
}
