import { rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { redactText } from '../common/logger.ts';
import { type Certificate, certificateSchema } from './certificate.ts';
import { makeDir } from './make-dir.ts';

/** Writes JSON atomically (temp file, then rename), with secrets redacted. */
export async function writeJson(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, `${redactText(JSON.stringify(value, null, 2))}\n`);
  await rename(tmp, file);
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
  await rename(tmp, link);
}

export async function ensureDir(dir: string): Promise<string> {
  await makeDir(dir);
  return dir;
}
