import { KubeConfig } from '@kubernetes/client-node';
import { BadInputError } from '../../common/errors.ts';

/** The kubeconfig (KUBECONFIG or ~/.kube/config) switched to `context` when one is given; an unknown context is bad input. */
export function loadKubeConfig(context: string | undefined, file?: string): KubeConfig {
  const kc = new KubeConfig();
  if (file) kc.loadFromFile(file);
  else kc.loadFromDefault();
  if (context) {
    if (!kc.getContextObject(context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new BadInputError(
        `--context ${context}: no such kubeconfig context (known: ${known.join(', ') || 'none'})`,
        {
          field: '--context',
        },
      );
    }
    kc.setCurrentContext(context);
  }
  return kc;
}
