/** The external tools the Kubernetes targets drive. */
export type KubeTool = 'docker' | 'kind' | 'helm' | 'kubectl';

/** kind release whose node images `kind/node-images.yaml` pins (the binary and the images go together). */
export const kindVersion = 'v0.29.0';
