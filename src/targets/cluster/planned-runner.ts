import { type CommandRunner, commandLine } from '../../common/command.ts';
import { StepFailedError } from '../../common/errors.ts';
import type { PlannedWrite } from './plan.ts';

/** One helm or kubectl invocation as the guard saw it. */
export interface RecordedInvocation {
  tool: string;
  args: readonly string[];
  write: boolean;
  /** The plan entry it matched (writes only). */
  planned?: string;
}

// helm package and pull write only local files; template renders without the cluster
const helmReads = new Set([
  'get',
  'history',
  'status',
  'list',
  'template',
  'version',
  'show',
  'package',
  'pull',
  'search',
]);
const kubectlReads = new Set([
  'get',
  'describe',
  'logs',
  'events',
  'auth',
  'version',
  'config',
  'api-resources',
  'top',
]);

/** The verb and object of an invocation: `kubectl --context c --namespace n patch configmap x` → patch, configmap/x. */
export function invocationOf(tool: string, args: readonly string[]): { verb: string; target: string; flags: string[] } {
  const positional: string[] = [];
  const flags: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('-')) {
      const name = a.split('=')[0]!;
      flags.push(a.includes('=') ? a : name);
      // flags of these tools that take a separate value (the rest are booleans or --x=y)
      if (!a.includes('=') && takesValue.has(name)) i++;
      continue;
    }
    positional.push(a);
  }
  const verb = positional[0] ?? '';
  if (tool === 'helm') return { verb, target: positional[1] ?? '', flags };
  const [kind, name] = (positional[1] ?? '').includes('/') ? positional[1]!.split('/') : [positional[1], positional[2]];
  return { verb, target: `${kind ?? ''}/${name ?? ''}`, flags };
}

const takesValue = new Set([
  '--context',
  '--kube-context',
  '--namespace',
  '-n',
  '-f',
  '--values',
  '--version',
  '--timeout',
  '--type',
  '-p',
  '--patch',
  '--field-manager',
  '-o',
  '--output',
  '-c',
  '--address',
  '--app-version',
  '-d',
  '--sort-by',
]);

export function isWrite(tool: string, args: readonly string[]): boolean {
  const { verb, flags } = invocationOf(tool, args);
  if (tool === 'helm') return !helmReads.has(verb) && !flags.some((f) => f.startsWith('--dry-run'));
  if (tool === 'kubectl') return !kubectlReads.has(verb) && verb !== 'port-forward';
  return true;
}

/** The planned write an invocation is, or undefined. Helm flags in the plan must all be present. */
export function matchPlanned(
  plan: readonly PlannedWrite[],
  tool: string,
  args: readonly string[],
): PlannedWrite | undefined {
  const inv = invocationOf(tool, args);
  return plan.find(
    (w) =>
      w.match.tool === tool &&
      w.match.verb === inv.verb &&
      w.match.target === inv.target &&
      (w.match.flags ?? []).every((f) => inv.flags.includes(f)) &&
      inv.flags.filter((f) => f === '--force-conflicts').every((f) => (w.match.flags ?? []).includes(f)),
  );
}

/** A write the plan did not list: the run stops before making it. */
export class UnplannedWriteError extends StepFailedError {
  constructor(readonly command: string) {
    super(
      `refused: \`${command}\` writes to the cluster and is not in the plan (upcert certify --plan lists every write)`,
    );
    this.name = 'UnplannedWriteError';
  }
}

/**
 * Wraps the command runner of a cluster run: every helm/kubectl invocation is recorded, and a write that the
 * plan did not list is refused before it runs.
 */
export function plannedRunner(
  plan: readonly PlannedWrite[],
  inner: CommandRunner,
  record: RecordedInvocation[] = [],
): CommandRunner & { record: RecordedInvocation[] } {
  const run: CommandRunner = async (file, args, opts) => {
    const write = (file === 'helm' || file === 'kubectl') && isWrite(file, args);
    const planned = write ? matchPlanned(plan, file, args) : undefined;
    record.push({ tool: file, args: [...args], write, ...(planned ? { planned: planned.id } : {}) });
    if (write && !planned) throw new UnplannedWriteError(commandLine(file, args));
    return inner(file, args, opts);
  };
  return Object.assign(run, { record });
}
