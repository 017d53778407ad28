/**
 * Errors that decide the exit code (DESIGN.md): bad input → 2, a missing part of the environment → 3,
 * a failed install/upgrade/rollback step → 1. Messages read `<action>: <what> (<context>)`.
 */
export class BadInputError extends Error {
  readonly exitCode = 2;
  /** The field, flag or file that is wrong, e.g. `components.gateway.artifact.sha256` or `--from`. */
  readonly field: string | undefined;
  constructor(message: string, options?: { field?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = 'BadInputError';
    this.field = options?.field;
  }
}

export class EnvironmentError extends Error {
  readonly exitCode = 3;
  /** The command that fixes it, e.g. `apt-get install -y postgresql-client-15`. */
  readonly fix: string | undefined;
  constructor(message: string, options?: { fix?: string; cause?: unknown }) {
    super(options?.fix ? `${message}; to fix: ${options.fix}` : message, { cause: options?.cause });
    this.name = 'EnvironmentError';
    this.fix = options?.fix;
  }
}

export class StepFailedError extends Error {
  readonly exitCode = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StepFailedError';
  }
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof BadInputError || error instanceof EnvironmentError || error instanceof StepFailedError) {
    return error.exitCode;
  }
  return 1;
}
