import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BadInputError } from '../common/errors.ts';

/**
 * A product profile: how a browser signs in to the console through identity and what the console must
 * show afterwards. `fixtures/profiles/<name>.yaml`; `reference` (the reference platform) is the default.
 */
export const productProfileSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().default(''),
  /** false: written from the product's documentation, never run against it here. */
  tested: z.boolean(),
  startPath: z.string().startsWith('/').default('/'),
  /** regular expression matched against the login page's full URL. */
  loginUrlPattern: z.string().min(1),
  username: z.strictObject({ selector: z.string().min(1), value: z.string().min(1).default('admin') }),
  password: z.strictObject({ selector: z.string().min(1) }),
  submit: z.string().min(1),
  errorSelector: z.string().min(1).optional(),
  landing: z.strictObject({
    path: z.string().startsWith('/'),
    heading: z.strictObject({ selector: z.string().min(1), text: z.string().min(1) }),
  }),
  /** CSS selector of one organization's block; `{organization}` stands for its id. */
  tenantSelector: z.string().includes('{organization}'),
  versionSelector: z.string().min(1).optional(),
});

export type ProductProfile = z.infer<typeof productProfileSchema>;
export const profilesDir = fileURLToPath(new URL('../../fixtures/profiles', import.meta.url));

/** The profile's login-page pattern, compiled; a bad pattern is bad input naming the field. */
export function loginUrlRegExp(profile: ProductProfile): RegExp {
  try {
    return new RegExp(profile.loginUrlPattern);
  } catch (error) {
    throw new BadInputError(`profile ${profile.name}: loginUrlPattern: ${(error as Error).message}`, {
      field: 'loginUrlPattern',
    });
  }
}

/** The selector of one organization's block, its id quoted for a CSS attribute value. */
export function tenantSelectorFor(profile: ProductProfile, organizationId: string): string {
  const quoted = organizationId.replace(/["\\]/g, (c) => `\\${c}`);
  return profile.tenantSelector.replaceAll('{organization}', quoted);
}

/**
 * The sign-in profile a run uses: the configuration's file or name, else the one the platform's profile names
 * for its console (`console.signInProfile`, e.g. the seed product's Keycloak), else the reference platform's.
 */
export function signInProfileOf(
  browser: { profile?: string; profileFile?: string },
  platform: { console?: { signInProfile: string } } | undefined,
): string {
  return browser.profileFile ?? browser.profile ?? platform?.console?.signInProfile ?? 'reference';
}

/** Loads a profile by name (`fixtures/profiles/<name>.yaml`) or from a file; errors name the field. */
export function loadProfile(nameOrFile: string): ProductProfile {
  const file = /[/\\]|\.ya?ml$/.test(nameOrFile)
    ? path.resolve(nameOrFile)
    : path.join(profilesDir, `${nameOrFile}.yaml`);
  if (!existsSync(file)) {
    throw new BadInputError(`browser profile: ${nameOrFile} not found (${file})`, { field: 'browser.profile' });
  }
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BadInputError(`browser profile: ${file} is not valid YAML (${(error as Error).message})`, {
      field: 'browser.profile',
    });
  }
  const parsed = productProfileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(root)';
    throw new BadInputError(`browser profile: ${file}: ${field}: ${issue.message}`, { field: `profile.${field}` });
  }
  loginUrlRegExp(parsed.data);
  return parsed.data;
}
