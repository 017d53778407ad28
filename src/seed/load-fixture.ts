/**
 * Reads the tenant fixture: every `*.yaml` of a directory (sorted by name), each validated on its own so
 * that an error names its file, then merged and validated as a whole (references, money, load profile).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { z } from 'zod';
import { BadInputError } from '../common/errors.ts';
import { tenantFixtureSchema } from './fixture-rules.ts';
import { fixtureFileSchema, type TenantFixture, tenantKinds } from './fixture-schema.ts';

/** `fixtures/tenants/` of this repository. */
export const defaultTenantsDir = fileURLToPath(new URL('../../fixtures/tenants/', import.meta.url));

function describe(error: z.ZodError): { field: string; text: string } {
  const first = error.issues[0];
  const field = first ? first.path.join('.') : '';
  const text = error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  return { field, text };
}

export async function loadTenantFixture(dir: string = defaultTenantsDir): Promise<TenantFixture> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  if (files.length === 0) throw new BadInputError(`load tenant fixture: no *.yaml in ${dir}`, { field: dir });
  const merged = Object.fromEntries(tenantKinds.map((k) => [k, [] as unknown[]])) as Record<string, unknown[]>;
  /** per kind, the file each merged record came from (so a cross-record error names its file). */
  const origin = Object.fromEntries(tenantKinds.map((k) => [k, [] as string[]])) as Record<string, string[]>;
  for (const file of files) {
    const path = join(dir, file);
    let raw: unknown;
    try {
      raw = parse(await readFile(path, 'utf8'));
    } catch (cause) {
      throw new BadInputError(`load tenant fixture: ${path} is not YAML (${(cause as Error).message})`, {
        field: path,
        cause,
      });
    }
    const parsed = fixtureFileSchema.safeParse(raw ?? {});
    if (!parsed.success) {
      const { field, text } = describe(parsed.error);
      throw new BadInputError(`load tenant fixture: ${path}: ${text}`, { field: `${file}:${field}` });
    }
    for (const kind of tenantKinds) {
      merged[kind]!.push(...parsed.data[kind]);
      origin[kind]!.push(...parsed.data[kind].map(() => file));
    }
  }
  const whole = tenantFixtureSchema.safeParse(merged);
  if (!whole.success) {
    // name the file of each record an issue is about: `acme.yaml: users[2].groupId: …`
    const where = (p: PropertyKey[]) => {
      const file = typeof p[0] === 'string' && typeof p[1] === 'number' ? origin[p[0]]?.[p[1]] : undefined;
      return `${file ? `${join(dir, file)}: ` : ''}${p.join('.') || '(root)'}`;
    };
    const text = whole.error.issues.map((i) => `${where(i.path)}: ${i.message}`).join('; ');
    const first = whole.error.issues[0]?.path ?? [];
    const file =
      typeof first[0] === 'string' && typeof first[1] === 'number' ? origin[first[0]]?.[first[1]] : undefined;
    throw new BadInputError(`load tenant fixture: ${text}`, { field: `${file ? `${file}:` : ''}${first.join('.')}` });
  }
  return whole.data;
}
