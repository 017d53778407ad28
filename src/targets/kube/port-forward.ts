import { execa, type ResultPromise } from 'execa';
import { outputTail } from '../../common/command.ts';
import { StepFailedError } from '../../common/errors.ts';

/** `Forwarding from 127.0.0.1:41234 -> 8080` → 41234 (kubectl's first line once it listens). */
export function forwardedPort(line: string): number | undefined {
  const m = /Forwarding from 127\.0\.0\.1:(\d+) ->/.exec(line);
  return m ? Number(m[1]) : undefined;
}

export interface PortForwardSpec {
  /** `pod/gateway-7d9c-abcde` or `svc/postgresql`. */
  resource: string;
  remotePort: number;
  namespace: string;
  context?: string;
  /** Deadline for kubectl to report the local port. */
  timeoutMs: number;
}

/**
 * `kubectl port-forward --address 127.0.0.1 <resource> :<port>`: a loopback-only tunnel to one pod (a
 * Service is resolved to one of its pods). `closed` settles when kubectl exits (the pod went away).
 */
export class PortForward implements AsyncDisposable {
  private constructor(
    readonly resource: string,
    readonly port: number,
    private readonly child: ResultPromise,
    readonly closed: Promise<void>,
  ) {}

  static async open(spec: PortForwardSpec): Promise<PortForward> {
    const args = [
      ...(spec.context ? ['--context', spec.context] : []),
      '--namespace',
      spec.namespace,
      'port-forward',
      '--address',
      '127.0.0.1',
      spec.resource,
      `:${spec.remotePort}`,
    ];
    const child = execa('kubectl', args, { reject: false, buffer: false, stdin: 'ignore' });
    let output = '';
    const closed = child.then(() => undefined);
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(
          new StepFailedError(
            `port-forward ${spec.resource}: no local port after ${spec.timeoutMs} ms\n${outputTail(output)}`,
          ),
        );
      }, spec.timeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const p = output
          .split('\n')
          .map(forwardedPort)
          .find((x) => x !== undefined);
        if (p !== undefined) {
          clearTimeout(timer);
          resolve(p);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (c: Buffer) => {
        output += c.toString();
      });
      void closed.then(() => {
        clearTimeout(timer);
        reject(new StepFailedError(`port-forward ${spec.resource}: kubectl exited\n${outputTail(output)}`));
      });
    });
    return new PortForward(spec.resource, port, child, closed);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await this.closed;
    clearTimeout(timer);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
