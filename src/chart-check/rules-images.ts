import type { ChartRule } from './context.ts';
import { componentDeployments } from './context.ts';
import type { Finding } from './finding.ts';
import { podTemplate, resourceOf } from './manifests.ts';

/** `repo:tag@digest` → its tag ('' when none); a registry port (`host:5000/x`) is not a tag. */
export function imageTag(image: string): string {
  const noDigest = image.split('@')[0] ?? '';
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(colon + 1) : '';
}

/** Tags that move: `latest`, none at all, or a bare major/minor such as `15` or `1.8`. */
export function isFloatingTag(tag: string): boolean {
  return tag === '' || tag === 'latest' || /^v?\d+(\.\d+)?$/.test(tag);
}

export const imagesPinned: ChartRule = {
  id: 'images-pinned',
  description: "every component image equals the release manifest's tag and digest; no latest or floating tag",
  check(ctx) {
    const { deployments, missing } = componentDeployments(ctx, this.id);
    const findings: Finding[] = [...missing];
    for (const [component, d] of deployments) {
      const { repository, tag, digest } = ctx.release.components[component].image;
      const container = podTemplate(d).containers.find((c) => c.name === component) ?? podTemplate(d).containers[0];
      const field = `spec.template.spec.containers[${container?.name ?? component}].image`;
      if (!digest && !ctx.allowUnbuilt) {
        findings.push({
          rule: this.id,
          resource: resourceOf(d),
          field,
          message: `${ctx.release.name} records no digest for ${component} (run \`npm run images:build\`, or pass --allow-unbuilt)`,
        });
        continue;
      }
      if (isFloatingTag(tag)) {
        findings.push({
          rule: this.id,
          resource: resourceOf(d),
          field,
          message: `${ctx.release.name} pins the floating tag ${tag || '(none)'}`,
        });
      }
      const expected = digest ? `${repository}:${tag}@${digest}` : `${repository}:${tag}`;
      if (container?.image !== expected) {
        findings.push({
          rule: this.id,
          resource: resourceOf(d),
          field,
          message: `is ${container?.image ?? '(none)'}, expected ${expected}`,
        });
      }
    }
    // Images the release does not pin (PostgreSQL, provider-mock): at least a tag that is not `latest`.
    for (const o of ctx.objects) {
      for (const c of podTemplate(o).containers) {
        const tag = imageTag(c.image);
        if (c.image.includes('@sha256:') || (tag !== '' && tag !== 'latest')) continue;
        findings.push({
          rule: this.id,
          resource: resourceOf(o),
          field: `spec.template.spec.containers[${c.name}].image`,
          message: `${c.image} has ${tag ? 'the floating tag latest' : 'no tag'}; pin a tag (and a digest)`,
        });
      }
    }
    return findings;
  },
};
