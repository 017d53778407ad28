#!/usr/bin/env python3
"""Self time of a V8 .cpuprofile grouped by where the code lives (undici, node internals, upcert) and the top functions."""
import json, sys, collections

prof = json.load(open(sys.argv[1]))
nodes = {n['id']: n for n in prof['nodes']}
self_us = collections.Counter()
dt = prof['timeDeltas']
for sample, delta in zip(prof['samples'], dt):
    self_us[sample] += delta
total = sum(self_us.values())

def where(url):
    if 'undici' in url: return 'undici'
    if '/src/load/' in url: return 'upcert src/load'
    if url.startswith('node:'): return 'node internals (' + url.split(':')[1].split('/')[0] + ')'
    if url == '': return 'native / GC / idle'
    return 'other'

groups = collections.Counter()
funcs = collections.Counter()
for nid, us in self_us.items():
    cf = nodes[nid]['callFrame']
    name = cf['functionName'] or '(anonymous)'
    if name in ('(idle)', '(program)', '(garbage collector)'):
        groups[name] += us
        funcs[name] += us
        continue
    groups[where(cf['url'])] += us
    funcs[f"{name} {cf['url'].split('/')[-1]}:{cf['lineNumber'] + 1}"] += us
print(f'total {total / 1e6:.2f} s sampled')
for g, us in groups.most_common():
    print(f'  {100 * us / total:5.1f} %  {g}')
print('top functions (self time):')
for f, us in funcs.most_common(25):
    print(f'  {100 * us / total:5.1f} %  {f}')
