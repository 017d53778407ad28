import { rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { redactText } from '../common/logger.ts';
import { type Certificate, certificateSchema } from './certificate.ts';
import { makeDir } from './make-dir.ts';

/**
 * Writes a report file atomically (temp file beside it, then rename), with secrets redacted: a reader, or a run
 * stopped halfway, never sees a truncated file.
 */
export async function writeTextAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, redactText(text));
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Writes JSON atomically, with secrets redacted. */
export async function writeJson(file: string, value: unknown): Promise<void> {
  await writeTextAtomically(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** certificate.json, validated against the exported schema first: an invalid certificate is a bug, said loudly. */
export async function writeCertificate(dir: string, certificate: Certificate): Promise<string> {
  const parsed = certificateSchema.safeParse(certificate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `report: certificate.json does not match its schema at ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  const file = path.join(dir, 'certificate.json');
  await writeJson(file, parsed.data);
  return file;
}

/** Points `<reportRoot>/latest` at the run's directory. */
export async function pointLatest(reportRoot: string, runDir: string): Promise<void> {
  const link = path.join(reportRoot, 'latest');
  const tmp = `${link}.${process.pid}.tmp`;
  await rm(tmp, { force: true });
  await symlink(path.relative(reportRoot, runDir), tmp);
  await rename(tmp, link).catch(async (error) => {
    await rm(tmp, { force: true });
    throw error;
  });
}

export async function ensureDir(dir: string): Promise<string> {
  await makeDir(dir);
  return dir;
}
