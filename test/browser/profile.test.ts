import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadProfile, loginUrlRegExp, profilesDir, tenantSelectorFor } from '../../src/browser/profile.ts';
import { BadInputError } from '../../src/common/errors.ts';

describe('product profiles', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'upcert-profile-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('the reference profile follows the platform contract and is tested', () => {
    const p = loadProfile('reference');
    expect(p).toMatchObject({
      tested: true,
      username: { selector: 'input[name=username]', value: 'admin' },
      password: { selector: 'input[name=password]' },
      submit: 'button[type=submit]',
      landing: { path: '/', heading: { selector: 'h1', text: 'Dashboard' } },
    });
    expect(loginUrlRegExp(p).test('http://127.0.0.1:4001/interaction/abc')).toBe(true);
    expect(tenantSelectorFor(p, 'acme')).toBe('section[data-organization="acme"]');
  });

  test("the Keycloak profile uses Keycloak's login form and is marked untested", () => {
    const p = loadProfile('keycloak');
    expect(p).toMatchObject({
      tested: false,
      username: { selector: '#username' },
      password: { selector: '#password' },
    });
    expect(p.submit).toBe('#kc-login');
    const login = loginUrlRegExp(p);
    expect(login.test('https://sso.example.com/realms/platform/protocol/openid-connect/auth?client_id=console')).toBe(
      true,
    );
    expect(login.test('https://sso.example.com/realms/platform/login-actions/authenticate?session_code=x')).toBe(true);
    expect(login.test('https://console.example.com/')).toBe(false);
  });

  test('an organization id is quoted in the tenant selector', () => {
    expect(tenantSelectorFor(loadProfile('reference'), 'a"b\\c')).toBe('section[data-organization="a\\"b\\\\c"]');
  });

  test("a profile file of one's own loads; a bad one is bad input naming the field", async () => {
    const own = path.join(dir, 'own.yaml');
    const text = await readFile(path.join(profilesDir, 'reference.yaml'), 'utf8');
    await writeFile(own, text.replace('name: reference', 'name: own'));
    expect(loadProfile(own).name).toBe('own');

    const bad = path.join(dir, 'bad.yaml');
    await writeFile(
      bad,
      text.replace('tenantSelector: section[data-organization="{organization}"]', 'tenantSelector: section'),
    );
    expect(() => loadProfile(bad)).toThrow(BadInputError);
    expect(() => loadProfile(bad)).toThrow(/tenantSelector/);
    expect(() => loadProfile('no-such-profile')).toThrow(/browser profile: no-such-profile not found/);
  });
});
