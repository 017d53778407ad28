/**
 * The RBAC of a cluster run: the Role in docs/kubernetes.md is exactly the one the plan needs, `doctor` accepts
 * it (each SelfSubjectAccessReview answered as the RBAC authorizer would answer for that Role), and a Role that
 * lacks a verb is exit 3 naming it, with the Role that fixes it. An image-ID digest is refused (exit 2).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { EnvironmentError, exitCodeOf } from '../../../src/common/errors.ts';
import { loadRelease } from '../../../src/release/catalog.ts';
import type { AccessReviewer } from '../../../src/targets/cluster/access-review.ts';
import {
  digestFindings,
  doctorVerdict,
  helmMajor,
  kubectlSkew,
  permissionFindings,
} from '../../../src/targets/cluster/doctor.ts';
import { pullableDigestsMustBeRecorded, withRegistry } from '../../../src/targets/cluster/image-refs.ts';
import { accessReview } from '../../../src/targets/cluster/permissions.ts';
import { type PolicyRule, roleYaml, rulesAllow } from '../../../src/targets/cluster/rbac-role.ts';
import { planOf } from './support/cluster-platform.ts';

const plan = planOf({ allowDestructive: true });
const docs = readFileSync(new URL('../../../docs/kubernetes.md', import.meta.url), 'utf8');
const docRole = /## Running against your staging[\s\S]*?```yaml\n([\s\S]*?)```/.exec(docs)![1]!;
const rulesOf = (yaml: string) => (parseAllDocuments(yaml)[0]!.toJSON() as { rules: PolicyRule[] }).rules;
const reviewerFor =
  (rules: PolicyRule[]): AccessReviewer =>
  async (p) => ({ allowed: rulesAllow(rules, p), reason: 'RBAC: no rule' });

describe('RBAC', () => {
  test('the Role in docs/kubernetes.md is the one the plan needs', () => {
    expect(docRole).toBe(roleYaml(plan.permissions, 'upcert-platform'));
  });

  test('doctor accepts the documented Role: every permission of the plan allowed', async () => {
    const found = await permissionFindings(plan.permissions, 'upcert-platform', reviewerFor(rulesOf(docRole)));
    expect(found.filter((f) => !f.ok)).toEqual([]);
    expect(() => doctorVerdict(found, [], 'upcert-platform')).not.toThrow();
    expect(found.map((f) => f.what)).toContain('can create pods/portforward in upcert-platform');
  });

  test('a Role without pods/portforward: exit 3 naming it, with the Role that grants it', async () => {
    const rules = rulesOf(docRole).filter((r) => !r.resources.includes('pods/portforward'));
    const found = await permissionFindings(plan.permissions, 'upcert-platform', reviewerFor(rules));
    const missing = plan.permissions.filter((_, i) => !found[i]!.ok);
    expect(missing.map((p) => `${p.resource}/${p.subresource}:${p.verb}`)).toEqual(['pods/portforward:create']);
    const error = (() => {
      try {
        doctorVerdict(found, missing, 'upcert-platform');
      } catch (e) {
        return e as EnvironmentError;
      }
    })();
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(exitCodeOf(error)).toBe(3);
    expect(error!.message).toContain('can create pods/portforward in upcert-platform');
    expect(error!.fix).toContain('- pods/portforward');
  });

  test('each permission is one SelfSubjectAccessReview in the namespace', () => {
    const pf = plan.permissions.find((p) => p.subresource === 'portforward')!;
    expect(accessReview(pf, 'upcert-platform')).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: {
        resourceAttributes: {
          namespace: 'upcert-platform',
          verb: 'create',
          group: '',
          resource: 'pods',
          subresource: 'portforward',
        },
      },
    });
  });

  test('versions: helm 4 only, kubectl within one minor of the server', () => {
    expect(helmMajor('v4.1.4+g05fa379').ok).toBe(true);
    expect(helmMajor('v3.17.0+g301108e').ok).toBe(false);
    expect(kubectlSkew('v1.33.9', 'v1.32.4').ok).toBe(true);
    expect(kubectlSkew('v1.33.9', 'v1.31.2').ok).toBe(false);
  });
});

describe('registry digests', () => {
  const withDigest = (kind: 'repo' | 'image-id' | undefined) => {
    const r = structuredClone(loadRelease('v1.8.0'));
    for (const c of Object.values(r.components)) {
      c.image.digest = `sha256:${'a'.repeat(64)}`;
      c.image.digestKind = kind;
    }
    return r;
  };

  test('an image-ID digest is refused with exit 2, saying why and how to fix it', () => {
    const refuse = () => pullableDigestsMustBeRecorded(withDigest('image-id'));
    expect(refuse).toThrow(/is image-id/);
    expect(refuse).toThrow(/no registry can resolve repo:tag@<image id>/);
    expect(refuse).toThrow(/npm run images:push -- --registry <registry> v1\.8\.0/);
    try {
      refuse();
    } catch (error) {
      expect(exitCodeOf(error)).toBe(2);
    }
    expect(() => pullableDigestsMustBeRecorded(withDigest(undefined))).toThrow(/of unknown kind/);
    expect(() => pullableDigestsMustBeRecorded(withDigest('repo'))).not.toThrow();
    expect(digestFindings([withDigest('image-id'), withDigest('repo')]).map((f) => f.ok)).toEqual([false, true]);
  });

  test('--registry prefixes every repository', () => {
    expect(withRegistry('upcert/gateway', '127.0.0.1:5000/')).toBe('127.0.0.1:5000/upcert/gateway');
    expect(withRegistry('upcert/gateway', undefined)).toBe('upcert/gateway');
  });
});
