import { execa } from 'execa';
import { EnvironmentError, StepFailedError } from './errors.ts';
import { redactText } from './logger.ts';
import { resolveTool } from './tool-path.ts';

/** What one external command (kind, helm, kubectl, docker) gave back. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface CommandOptions {
  /** Deadline of the command; it is killed after it. */
  timeoutMs: number;
  input?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Aborting it sends the command SIGTERM (what helm, kubectl and kind handle as a request to stop). */
  signal?: AbortSignal;
  /** In a process group of its own: a terminal's Ctrl-C reaches upcert, which decides what the command gets. */
  detached?: boolean;
}

/** Runs a command; tests swap it for a recorder. Never throws on a non-zero exit: callers decide. */
export type CommandRunner = (file: string, args: readonly string[], opts: CommandOptions) => Promise<CommandResult>;

/** The last `lines` lines of a command's output, secrets redacted (what an error message shows). */
export function outputTail(text: string, lines = 20): string {
  return redactText(text.trimEnd().split('\n').slice(-lines).join('\n'));
}

/** `helm upgrade ... --namespace x` as one line, for error messages (arguments with spaces quoted). */
export function commandLine(file: string, args: readonly string[]): string {
  return [file, ...args].map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

/** The error of a failed command: `<action>: <command> exited <code>` and the tail of its output. */
export class CommandFailedError extends StepFailedError {
  constructor(
    readonly action: string,
    readonly command: string,
    readonly result: CommandResult,
  ) {
    const tail = outputTail(`${result.stderr}\n${result.stdout}`.trim());
    super(`${action}: \`${command}\` exited ${result.exitCode}${tail ? `\n${tail}` : ''}`);
    this.name = 'CommandFailedError';
  }
}

export const execaRunner: CommandRunner = async (file, args, opts) => {
  try {
    // helm and kubectl from the tools cache when `upcert setup` put them there, else from PATH
    const r = await execa(resolveTool(file), args, {
      reject: false,
      timeout: opts.timeoutMs,
      input: opts.input,
      cwd: opts.cwd,
      env: opts.env,
      stripFinalNewline: false,
      detached: opts.detached ?? false,
      // a stopped command gets time to finish what SIGTERM asked of it (helm records the release) before SIGKILL
      ...(opts.signal
        ? { cancelSignal: opts.signal, killSignal: 'SIGTERM' as const, forceKillAfterDelay: 30_000 }
        : {}),
    });
    if (r.code === 'ENOENT' || (r.failed && r.exitCode === undefined && /ENOENT/.test(String(r.message)))) {
      throw new EnvironmentError(`run ${file}: not found on PATH`);
    }
    if (r.isCanceled) {
      return {
        stdout: String(r.stdout ?? ''),
        stderr: `${r.stderr ?? ''}\nstopped (SIGTERM) when the run was interrupted`,
        exitCode: r.exitCode ?? 143,
      };
    }
    if (r.timedOut) {
      return {
        stdout: String(r.stdout ?? ''),
        stderr: `${r.stderr ?? ''}\ntimed out after ${opts.timeoutMs} ms`,
        exitCode: 124,
      };
    }
    return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? 1 };
  } catch (error) {
    if (error instanceof EnvironmentError) throw error;
    throw new StepFailedError(`run ${commandLine(file, args)}: ${(error as Error).message}`, { cause: error });
  }
};

/** Runs a command and throws `CommandFailedError` unless it exits 0; returns its stdout. */
export async function mustRun(
  run: CommandRunner,
  action: string,
  file: string,
  args: readonly string[],
  opts: CommandOptions,
): Promise<string> {
  const result = await run(file, args, opts);
  if (result.exitCode !== 0) throw new CommandFailedError(action, commandLine(file, args), result);
  return result.stdout;
}
