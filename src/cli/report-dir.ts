import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BadInputError } from '../common/errors.ts';
import { makeDir } from '../report/make-dir.ts';

/**
 * The report directory, proven usable before anything starts: created, a probe file written and removed.
 * A directory upcert cannot write is bad input (exit 2) naming `--report-dir`, never a raw error at the end.
 */
export async function reportDirMustBeWritable(dir: string): Promise<void> {
  let step = 'create it';
  try {
    const full = await makeDir(dir);
    step = 'write a file in it';
    const probe = path.join(full, `.upcert-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
    await writeFile(probe, 'probe\n');
    step = 'remove a file from it';
    await rm(probe);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new BadInputError(`--report-dir ${dir}: cannot ${step} (${code ?? message})`, {
      field: '--report-dir',
      cause: error,
    });
  }
}
