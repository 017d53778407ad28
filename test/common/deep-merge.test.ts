import { describe, expect, it } from 'vitest';
import { deepMerge, mergeLayers } from '../../src/common/deep-merge.ts';

// Helm's rule: https://helm.sh/docs/chart_template_guide/values_files/#deleting-a-default-key
describe('deepMerge (Helm values semantics)', () => {
  const defaults = { gateway: { replicas: 2, maxRequestBytes: 1024, probes: { path: '/ready' } }, tags: ['a'] };

  it('merges objects key by key and replaces arrays and scalars', () => {
    const merged = deepMerge(defaults, { gateway: { replicas: 3 }, tags: ['b'] });
    expect(merged).toEqual({
      gateway: { replicas: 3, maxRequestBytes: 1024, probes: { path: '/ready' } },
      tags: ['b'],
    });
  });

  it('deletes a key set to null, at any depth, and leaves the inputs untouched', () => {
    const merged = deepMerge(defaults, { gateway: { maxRequestBytes: null, probes: null }, tags: null });
    expect(merged).toEqual({ gateway: { replicas: 2 } });
    expect(defaults.gateway.maxRequestBytes).toBe(1024);
  });

  it('drops nulls inside a subtree that replaces a scalar', () => {
    expect(deepMerge({ a: 1 }, { a: { b: null, c: 2 } })).toEqual({ a: { c: 2 } });
  });

  it('keeps a null between user layers, so that it still deletes the default afterwards', () => {
    const layer = mergeLayers({ gateway: { replicas: 4 } }, { gateway: { maxRequestBytes: null } });
    expect(layer).toEqual({ gateway: { replicas: 4, maxRequestBytes: null } });
    expect(deepMerge(defaults, layer).gateway).toEqual({ replicas: 4, probes: { path: '/ready' } });
  });
});
