import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { exitCodeOf } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { certifyCommand } from './certify-command.ts';
import { chartCheckCommand } from './chart-check-command.ts';
import { doctorCommand } from './doctor-command.ts';
import { matrixCommand } from './matrix-command.ts';
import { platformCommand } from './platform-command.ts';
import { ignoreClosedPipes } from './quiet-pipes.ts';
import { reportCommand } from './report-command.ts';
import { selfcheckCommand } from './selfcheck-command.ts';
import { setupCommand } from './setup-command.ts';
import { usageLine } from './usage.ts';

/**
 * The `upcert` command line (DESIGN.md "CLI"). Each command declares its flags in its own `*-command.ts`
 * and imports what it runs only when it runs, so that `--help` and usage errors answer at once. Exit codes
 * come from the error classes (0 ok, 1 failed step, 2 bad input, 3 environment, 130 interrupted).
 */
const log = createLogger('upcert');
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const program = new Command('upcert')
    .description('certifies that a platform release upgrades cleanly')
    .version(pkg.version)
    // Program options only before the command name, so that `platform up --version R` is the command's own.
    .enablePositionalOptions();
  program.addCommand(certifyCommand());
  program.addCommand(chartCheckCommand());
  program.addCommand(doctorCommand());
  program.addCommand(platformCommand());
  program.addCommand(reportCommand());
  program.addCommand(setupCommand());
  program.addCommand(selfcheckCommand());
  program.addCommand(matrixCommand());
  inherit(program);
  return program;
}

/**
 * Every command throws instead of exiting, and a usage error (a flag unknown, missing, or with a value its
 * parser rejects) prints one line and the command's usage, not its whole help. Commands built on their own and added with `addCommand` do
 * not inherit the program's settings, hence the walk.
 */
function inherit(command: Command): void {
  command.exitOverride().configureOutput({
    outputError: (message, write) => write(`${message.trimEnd()}\n${usageLine(command)}\n`),
  });
  for (const sub of command.commands) inherit(sub);
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

ignoreClosedPipes();
process.exitCode = await main(process.argv);
// Lets stderr drain, but never hangs on a handle left open after a failure.
setTimeout(() => process.exit(), 5000).unref();
