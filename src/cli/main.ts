import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { exitCodeOf } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { certifyCommand } from './certify.ts';
import { chartCheckCommand } from './chart-check.ts';
import { platformCommand } from './platform-up.ts';
import { reportCommand } from './report.ts';
import { selfcheckCommand } from './selfcheck.ts';
import { setupCommand } from './setup.ts';

/**
 * The `upcert` command line (DESIGN.md "CLI"). Each command lives in its own module and registers
 * itself here; exit codes come from the error classes (0 ok, 1 failed step, 2 bad input, 3 environment,
 * 130 interrupted).
 */
const log = createLogger('upcert');
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const program = new Command('upcert')
    .description('certifies that a platform release upgrades cleanly')
    .version(pkg.version)
    // Program options only before the command name, so that `platform up --version R` is the command's own.
    .enablePositionalOptions()
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(certifyCommand());
  program.addCommand(chartCheckCommand());
  program.addCommand(platformCommand());
  program.addCommand(reportCommand());
  program.addCommand(setupCommand());
  program.addCommand(selfcheckCommand());
  inherit(program);
  return program;
}

/** Commands built on their own and added with `addCommand` do not inherit the program's settings. */
function inherit(parent: Command): void {
  for (const sub of parent.commands) {
    sub.exitOverride().showHelpAfterError();
    inherit(sub);
  }
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version are "errors" to commander; everything else it reports is bad input.
      return error.exitCode === 0 ? 0 : 2;
    }
    log.error((error as Error)?.message ?? String(error));
    return exitCodeOf(error);
  }
}

process.exitCode = await main(process.argv);
// Lets stderr drain, but never hangs on a handle left open after a failure.
setTimeout(() => process.exit(), 5000).unref();
