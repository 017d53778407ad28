import { type CommandRunner, execaRunner, mustRun } from '../../common/command.ts';
import { defaultTimeouts, type Timeouts } from '../../config/schema.ts';
import type { NodeImage } from '../kube/image-digest.ts';

/**
 * Thin glue over the `kind` binary (and `docker exec` into its nodes); each failure carries the command and
 * the tail of its output (the e2e-framework's kind provider does the same).
 */
export class KindCli {
  constructor(
    readonly cluster: string,
    private readonly run: CommandRunner = execaRunner,
    private readonly timeouts: Pick<
      Timeouts,
      'kubeCommandSeconds' | 'imageLoadSeconds' | 'logsSeconds'
    > = defaultTimeouts,
  ) {}

  private get shortMs(): number {
    return this.timeouts.kubeCommandSeconds * 1000;
  }

  /** kubeconfig context kind writes for the cluster. */
  get context(): string {
    return `kind-${this.cluster}`;
  }

  async exists(): Promise<boolean> {
    const out = await mustRun(this.run, 'kind get clusters', 'kind', ['get', 'clusters'], { timeoutMs: this.shortMs });
    return out.split('\n').some((l) => l.trim() === this.cluster);
  }

  create(configFile: string, image: string, timeoutSeconds: number): Promise<string> {
    const args = ['create', 'cluster', '--name', this.cluster, '--config', configFile, '--image', image];
    return mustRun(this.run, `create kind cluster ${this.cluster}`, 'kind', [...args, '--wait', `${timeoutSeconds}s`], {
      // kind's own --wait speaks first; the process deadline is a margin behind it
      timeoutMs: (timeoutSeconds + this.timeouts.kubeCommandSeconds) * 1000,
    });
  }

  delete(): Promise<string> {
    return mustRun(
      this.run,
      `delete kind cluster ${this.cluster}`,
      'kind',
      ['delete', 'cluster', '--name', this.cluster],
      {
        timeoutMs: this.shortMs,
      },
    );
  }

  /** `kind load docker-image` of every image (by `repository:tag`) onto every node. */
  load(images: readonly string[]): Promise<string> {
    return mustRun(
      this.run,
      `load images into ${this.cluster}`,
      'kind',
      ['load', 'docker-image', '--name', this.cluster, ...images],
      {
        timeoutMs: this.timeouts.imageLoadSeconds * 1000,
      },
    );
  }

  exportLogs(dir: string): Promise<string> {
    return mustRun(
      this.run,
      `export logs of ${this.cluster}`,
      'kind',
      ['export', 'logs', dir, '--name', this.cluster],
      {
        timeoutMs: this.timeouts.logsSeconds * 1000,
      },
    );
  }

  async nodes(): Promise<string[]> {
    const out = await mustRun(this.run, 'kind get nodes', 'kind', ['get', 'nodes', '--name', this.cluster], {
      timeoutMs: this.shortMs,
    });
    return out
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  }

  /** A node's image table as its runtime lists it (`crictl images -o json`). */
  async nodeImages(node: string): Promise<NodeImage[]> {
    const out = await mustRun(
      this.run,
      `list images on ${node}`,
      'docker',
      ['exec', node, 'crictl', 'images', '-o', 'json'],
      {
        timeoutMs: this.shortMs,
      },
    );
    return parseCrictlImages(out);
  }
}

/** `crictl images -o json` → images (`{ images: [{ id, repoTags, repoDigests }] }`). */
export function parseCrictlImages(json: string): NodeImage[] {
  const parsed = JSON.parse(json) as {
    images?: { id?: string; repoTags?: string[] | null; repoDigests?: string[] | null }[];
  };
  return (parsed.images ?? []).map((i) => ({
    id: i.id ?? '',
    repoTags: i.repoTags ?? [],
    repoDigests: i.repoDigests ?? [],
  }));
}
