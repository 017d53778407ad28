/**
 * Helm's values merge (https://helm.sh/docs/chart_template_guide/values_files/#deleting-a-default-key):
 * objects merge key by key, arrays and scalars replace, and a key set to `null` deletes the key.
 */
export type Values = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `over` coalesced over `base` (the chart's defaults, or the values so far): a `null` in `over` deletes the key. */
export function deepMerge(base: Values, over: Values): Values {
  return merge(base, over, false);
}

/**
 * Two user-supplied layers merged between themselves before they meet the defaults (`-f a.yaml -f b.yaml`):
 * a `null` is kept, so that it still deletes the chart's default when the result is `deepMerge`d over it.
 */
export function mergeLayers(base: Values, over: Values): Values {
  return merge(base, over, true);
}

function merge(base: Values, over: Values, keepNull: boolean): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    if (value === null && !keepNull) delete out[key];
    else if (isPlainObject(current) && isPlainObject(value)) out[key] = merge(current, value, keepNull);
    else out[key] = isPlainObject(value) && !keepNull ? merge({}, value, false) : structuredClone(value);
  }
  return out;
}
