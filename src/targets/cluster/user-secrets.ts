import { isPlainObject } from '../../common/deep-merge.ts';
import { BadInputError } from '../../common/errors.ts';
import { redact } from '../../common/logger.ts';

export interface UserSecrets {
  adminToken: string;
  adminPassword: string;
  databasePassword: string;
}

/** The release's own secrets from the user's values files (never generated on a customer's cluster). */
export function secretsOf(values: Record<string, unknown>): UserSecrets {
  const s = values.secrets;
  const pick = (k: keyof UserSecrets) => (isPlainObject(s) && typeof s[k] === 'string' ? (s[k] as string) : undefined);
  const out = {
    adminToken: pick('adminToken'),
    adminPassword: pick('adminPassword'),
    databasePassword: pick('databasePassword'),
  };
  const missing = Object.entries(out)
    .filter(([, v]) => !v)
    .map(([k]) => `secrets.${k}`);
  if (missing.length > 0) {
    throw new BadInputError(
      `-f: the cluster target needs the release's secrets values file (missing ${missing.join(', ')})`,
      {
        field: '-f',
      },
    );
  }
  for (const v of Object.values(out)) redact(v);
  return out as UserSecrets;
}
