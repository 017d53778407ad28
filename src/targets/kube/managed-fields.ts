import { isPlainObject } from '../../common/deep-merge.ts';

/**
 * Field ownership as the API server records it in `metadata.managedFields` (FieldsV1). Source: Kubernetes
 * docs, "Server-Side Apply" (kubernetes/website content/en/docs/reference/using-api/server-side-apply.md,
 * "Field management", "Conflicts"): an apply that sets a field "that another manager also claims" to a
 * different value is a conflict; forcing it "removes the field from all other managers' entries"; setting it
 * to the same value shares ownership (no conflict). FieldsV1 keys: `f:<field>`, `k:<json key of a list-map
 * item>`, `v:<json set value>`, `i:<index>`, and `.` for the node itself
 * (kubernetes/website content/en/docs/reference/kubernetes-api/common-definitions/object-meta.md, managedFields).
 */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  subresource?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; managedFields?: ManagedFieldsEntry[] } & Record<string, unknown>;
  [key: string]: unknown;
}

/** One owned leaf: the FieldsV1 segments from the root, e.g. `['f:data', 'f:config.json']`. */
export type FieldPath = readonly string[];

/** Every leaf a FieldsV1 set names (a key whose value has no children other than `.`). */
export function ownedLeaves(fields: Record<string, unknown> | undefined, prefix: string[] = []): FieldPath[] {
  const out: FieldPath[] = [];
  for (const [key, child] of Object.entries(fields ?? {})) {
    if (key === '.') continue;
    const path = [...prefix, key];
    const children = isPlainObject(child) ? Object.keys(child).filter((k) => k !== '.') : [];
    if (children.length === 0) out.push(path);
    else out.push(...ownedLeaves(child as Record<string, unknown>, path));
  }
  return out;
}

/** `.spec.template.spec.containers[name="gateway"].image`: a path as kubectl's conflict message writes it. */
export function fieldText(path: FieldPath): string {
  return path
    .map((seg) => {
      const body = seg.slice(2);
      if (seg.startsWith('f:')) return `.${body}`;
      if (seg.startsWith('k:')) {
        const key = JSON.parse(body) as Record<string, unknown>;
        return `[${Object.entries(key)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
      }
      if (seg.startsWith('v:')) return `[=${body}]`;
      return `[${body}]`;
    })
    .join('');
}

const absent = Symbol('absent');

/** The value at a FieldsV1 path in an object, or `absent` when the object does not set it. */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let node: unknown = obj;
  for (const seg of path) {
    const body = seg.slice(2);
    if (seg.startsWith('f:')) {
      if (!isPlainObject(node) || !(body in node)) return absent;
      node = node[body];
    } else if (seg.startsWith('k:')) {
      const key = JSON.parse(body) as Record<string, unknown>;
      if (!Array.isArray(node)) return absent;
      node = node.find((item) => isPlainObject(item) && Object.entries(key).every(([k, v]) => same(item[k], v)));
      if (node === undefined) return absent;
    } else if (seg.startsWith('v:')) {
      if (!Array.isArray(node)) return absent;
      const wanted = JSON.parse(body) as unknown;
      node = node.find((item) => same(item, wanted));
      if (node === undefined) return absent;
    } else if (seg.startsWith('i:')) {
      if (!Array.isArray(node)) return absent;
      node = node[Number(body)];
      if (node === undefined) return absent;
    } else return absent;
  }
  return node;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // the API server keeps numbers and strings apart; a rendered manifest may quote what the server stores as a number
  if (typeof a === 'number' || typeof b === 'number') return String(a) === String(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

export { absent as notSet, same as sameValue };
