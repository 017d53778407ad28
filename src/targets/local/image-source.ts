import { isPlainObject, type Values } from '../../common/deep-merge.ts';
import { BadInputError } from '../../common/errors.ts';
import { type LoadedRelease, loadRelease } from '../../release/catalog.ts';
import type { ComponentName, ComponentPin } from '../../release/manifest.ts';
import { valuesKey } from './workload-settings.ts';

/** What a component's replicas run: the pin of the release its image tag names. */
export interface ImageSource {
  /** the release whose bundle runs (the installed release's own name, or the one the tag names). */
  release: string;
  pin: ComponentPin;
}

function imageOf(values: Values, component: ComponentName): { repository?: unknown; tag?: unknown } {
  const workload = values[valuesKey[component]];
  const image = isPlainObject(workload) ? workload.image : undefined;
  return isPlainObject(image) ? image : {};
}

/**
 * Honours the chart's image tag the way Kubernetes does: a node runs whatever `repository:tag` the
 * rendered Deployment names, whatever the release manifest claims. The tag the release pins runs the
 * release's own bundle; another tag runs the bundle of the release that tag names (good releases are named
 * by their version, which is their images' tag), checked against THAT release's pin. So a chart that leaves
 * a component behind installs fine and `release-pinned` sees the drift.
 */
export function imageSource(
  root: string,
  release: LoadedRelease,
  values: Values,
  component: ComponentName,
): ImageSource {
  const own = release.components[component];
  const { repository, tag } = imageOf(values, component);
  if (tag === undefined || String(tag) === own.image.tag) return { release: release.name, pin: own };
  const field = `${valuesKey[component]}.image.tag`;
  let named: LoadedRelease;
  try {
    named = loadRelease(String(tag), root);
  } catch (error) {
    throw new BadInputError(`resolve values: ${field} is ${String(tag)}, and no release pins that image`, {
      field,
      cause: error,
    });
  }
  const pin = named.components[component];
  if (pin.image.tag !== String(tag) || (repository !== undefined && pin.image.repository !== repository)) {
    throw new BadInputError(
      `resolve values: ${field} is ${String(repository ?? own.image.repository)}:${String(tag)}, and release ${named.name} pins ${pin.image.repository}:${pin.image.tag}`,
      { field },
    );
  }
  return { release: named.name, pin };
}
