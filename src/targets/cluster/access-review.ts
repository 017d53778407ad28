import { AuthorizationV1Api } from '@kubernetes/client-node';
import { loadKubeConfig } from '../kube/kube-config.ts';
import { accessReview, type Permission } from './permissions.ts';

/** The answer of one SelfSubjectAccessReview (`status.allowed`, `status.reason`). */
export type AccessReviewer = (p: Permission, namespace: string) => Promise<{ allowed: boolean; reason?: string }>;

/**
 * SelfSubjectAccessReview through the API (`POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews`):
 * "checks whether or the current user can perform an action" (kubernetes/website content/en/docs/reference/
 * kubernetes-api/authorization-resources/self-subject-access-review-v1.md). Nothing is stored.
 */
export function apiAccessReviewer(context: string): AccessReviewer {
  const api = loadKubeConfig(context).makeApiClient(AuthorizationV1Api);
  return async (p, namespace) => {
    const review = await api.createSelfSubjectAccessReview({ body: accessReview(p, namespace) });
    return { allowed: review.status?.allowed === true, reason: review.status?.reason };
  };
}
