import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { redact } from '../../common/logger.ts';

/** The platform's secrets (CONTRACT.md "Secrets"); fresh for every local run. */
export interface PlatformSecrets {
  adminToken: string;
  adminPassword: string;
  oidcClientSecret: string;
  cookieKeys: string[];
  /** RSA 2048 private key as a JWK. */
  signingKey: Record<string, unknown>;
  databasePassword: string;
}

export interface SecretFiles {
  /** `secrets.json`: what components read through PLATFORM_SECRETS. */
  json: string;
  /** `secrets-values.yaml`: the same values in the chart's shape. */
  values: string;
}

const token = (bytes: number) => randomBytes(bytes).toString('base64url');

/** Generates fresh secrets and registers every value with the logger's redaction. */
export function generateSecrets(): PlatformSecrets {
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const secrets: PlatformSecrets = {
    adminToken: `upcert-admin-${token(32)}`,
    adminPassword: token(18),
    oidcClientSecret: token(32),
    cookieKeys: [token(32), token(32)],
    signingKey: { ...jwk, kid: `upcert-${token(6)}`, alg: 'RS256', use: 'sig' },
    databasePassword: token(24),
  };
  for (const value of [secrets.adminToken, secrets.adminPassword, secrets.oidcClientSecret, secrets.databasePassword]) {
    redact(value);
  }
  for (const key of secrets.cookieKeys) redact(key);
  for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) redact(jwk[part]);
  redact(JSON.stringify(secrets.signingKey));
  return secrets;
}

/** Writes `secrets.json` and `secrets-values.yaml` (mode 0600) into `dir`. */
export async function writeSecretFiles(dir: string, secrets: PlatformSecrets): Promise<SecretFiles> {
  const json = path.join(dir, 'secrets.json');
  const values = path.join(dir, 'secrets-values.yaml');
  await writeFile(json, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  const helmShape = { secrets: { ...secrets, signingKey: JSON.stringify(secrets.signingKey) } };
  await writeFile(values, stringify(helmShape), { mode: 0o600 });
  return { json, values };
}
