import { execa, type ResultPromise } from 'execa';
import { outputTail } from '../../common/command.ts';
import { StepFailedError } from '../../common/errors.ts';
import { resolveTool } from '../../common/tool-path.ts';
import { LineSplitter } from './line-splitter.ts';

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
    const child = execa(resolveTool('kubectl'), args, { reject: false, buffer: false, stdin: 'ignore' });
    // Only the tail of the output is kept (for error messages), and stdout is parsed line by line until the
    // first `Forwarding from` line, then no more: kubectl then prints `Handling connection for <port>` per
    // connection, which re-splitting the whole accumulated output on every chunk made quadratic.
    let output = '';
    const keep = (text: string) => {
      output = (output + text).slice(-4096);
    };
    const closed = child.then(() => undefined);
    const port = await new Promise<number>((resolve, reject) => {
      const lines = new LineSplitter();
      const timer = setTimeout(() => {
        child.kill();
        reject(
          new StepFailedError(
            `port-forward ${spec.resource}: no local port after ${spec.timeoutMs} ms\n${outputTail(output)}`,
          ),
        );
      }, spec.timeoutMs);
      const onData = (chunk: Buffer) => {
        const text = chunk.toString();
        keep(text);
        const p = lines
          .push(text)
          .map(forwardedPort)
          .find((x) => x !== undefined);
        if (p !== undefined) {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          child.stdout?.resume(); // keep draining kubectl's stdout, unread
          resolve(p);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (c: Buffer) => keep(c.toString()));
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
