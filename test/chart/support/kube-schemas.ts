/**
 * Validates rendered objects against the Kubernetes API's OpenAPI schemas with `kubernetes-models` 4.5.x,
 * whose schemas are Kubernetes v1.33.0 ("Update schema version to v1.33.0", kubernetes-models 4.5.0,
 * tommy351/kubernetes-models-ts first-party/kubernetes-models/CHANGELOG.md, commit 1d68961); 5.x (v1.36)
 * needs Node 22. Its schemas do not forbid unknown fields (no additionalProperties: false), so a misspelt
 * field passes here: types, enums, required fields and formats are what this proves.
 */

import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import type { K8sObject } from './render-release.ts';

type ModelClass = new (data: never) => { validate(): void };
/** The kinds the chart renders; any other kind is a failure until it is added here. */
const models: Record<string, ModelClass> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

function modelOf(apiVersion: string, kind: string): ModelClass {
  const model = models[`${apiVersion}/${kind}`];
  if (!model) throw new Error(`no schema model for ${apiVersion} ${kind} (add it to kube-schemas.ts)`);
  return model;
}

/** The schema errors of one object (empty when it validates). */
export async function schemaErrors(object: K8sObject): Promise<string[]> {
  const Model = modelOf(object.apiVersion, object.kind);
  try {
    new Model(object as never).validate();
    return [];
  } catch (error) {
    return [`${object.kind}/${object.metadata.name}: ${(error as Error).message}`];
  }
}
