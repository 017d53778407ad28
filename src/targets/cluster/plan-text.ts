import { resourceName } from './permissions.ts';
import type { ClusterPlan } from './plan.ts';

/** The plan as `upcert certify --target cluster --plan` prints it: what is written, removed, and needed. */
export function planText(p: ClusterPlan): string {
  const lines: string[] = [];
  const add = (s = '') => lines.push(s);
  add(`Plan: certify ${p.from} → ${p.to} on context ${p.context}, namespace ${p.namespace}, release ${p.release}`);
  add(`conflictPolicy: ${p.conflictPolicy} (a field owned by another manager stops the upgrade; none is overridden)`);
  add();
  add('Writes (kind namespace/name, field manager, when):');
  for (const w of p.writes) {
    add(`  ${w.action.padEnd(42)} ${w.kind} ${w.namespace}/${w.name}  [${w.fieldManager}] ${w.when}: ${w.why}`);
  }
  add();
  add('Helm operations (what each writes):');
  for (const h of p.helm) {
    add(`  ${h.when}: ${h.command}`);
    for (const o of h.objects) add(`    ${o.verb.padEnd(6)} ${o.kind}/${o.name}`);
  }
  add();
  add(
    `Hand edit: configmap/${p.handEdit.configMap} ${p.handEdit.key} ${p.handEdit.path} = ${JSON.stringify(p.handEdit.value)}`,
  );
  add(
    `  field manager ${p.handEdit.fieldManager}; takes effect within ${p.handEdit.deadlineSeconds} s (kubelet sync + ConfigMap cache);`,
  );
  add('  reverted on failure or Ctrl-C before the upgrade; the upgrade resets it otherwise');
  add();
  if (p.tenants.adapter) {
    add(
      `Tenants: seeded and removed by the platform's tenant adapter ${p.tenants.adapter} (prefix ${p.tenants.prefix}); its writes are its own: upcert neither lists nor holds them, and writes none to the configuration API itself`,
    );
  } else {
    add(
      `Tenants (prefix ${p.tenants.prefix}: every run has its own, this plan's is an example; deleted at the end, also after Ctrl-C): ${p.tenants.ids.join(', ')}`,
    );
    add('Configuration API writes (any other write is refused; `*` is an id the API assigns or a run-time part):');
    for (const when of ['seed', 'config-live', 'on-cleanup'] as const) {
      const writes = p.tenants.api.filter((w) => w.when === when);
      if (writes.length === 0) continue;
      add(`  ${when} (${writes.length}):`);
      for (const w of writes) add(`    ${w.method.padEnd(6)} ${w.path}${w.id ? ` {id: ${w.id}}` : ''}  ${w.why}`);
    }
    add(
      `Database writes: usage rows of the recorded history of the ${p.tenants.consumers} seeded consumers (and the usage their load and config-live's probes make), deleted at the end with the run's revoked API keys`,
    );
  }
  add(`Providers point at ${p.providers.url} (${p.providers.source})`);
  add(
    `Load: ${p.load.ratePerSec} req/s (cap ${p.load.capPerSec}) through ${p.load.via === 'gateway-url' ? p.load.url : 'a kubectl port-forward (tunnel loss: inconclusive, never dropped requests)'}`,
  );
  add(`Loopback tunnels (kubectl port-forward): ${p.tunnels.join(', ')}`);
  add(
    `Backup: pg_dump of schemas ${p.backup.schemas.join(', ')}; restored only into a scratch database; ${p.backup.kept ? 'kept in the report (--keep-backup)' : 'deleted after the check (the certificate holds its fingerprint only)'}`,
  );
  add(
    `Data leaving the cluster: ${p.dataLeaving.length === 0 ? 'none (reports hold fingerprints, counts and logs)' : p.dataLeaving.join('; ')}`,
  );
  add();
  add(`RBAC needed in ${p.namespace} (checked by \`upcert doctor --target cluster\`):`);
  const byResource = new Map<string, string[]>();
  for (const perm of p.permissions) {
    const k = `${perm.group || 'core'} ${resourceName(perm)}`;
    byResource.set(k, [...(byResource.get(k) ?? []), perm.verb]);
  }
  for (const [k, verbs] of byResource) add(`  ${k}: ${verbs.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
