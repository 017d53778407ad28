import http from 'node:http';

/** One HTTP GET probe as the kubelet does it: success is a status in 200–399 within the timeout. */
export function probeOnce(port: number, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 400);
    });
    req.on('timeout', () => req.destroy(new Error('probe timeout')));
    req.on('error', () => resolve(false));
  });
}

export interface ProbeSpec {
  periodSeconds: number;
  failureThreshold: number;
  successThreshold: number;
  timeoutSeconds: number;
  initialDelaySeconds: number;
}

/**
 * The readiness probe loop of one container: `onChange(true)` after `successThreshold` consecutive
 * successes while not ready, `onChange(false)` after `failureThreshold` consecutive failures while ready.
 */
export class ReadinessProbe {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private ready = false;
  private successes = 0;
  private failures = 0;

  constructor(
    private readonly port: number,
    private readonly spec: ProbeSpec,
    private readonly onChange: (ready: boolean) => void,
    private readonly path = '/readyz',
  ) {}

  start(): void {
    this.schedule(this.spec.initialDelaySeconds * 1000);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    const ok = await probeOnce(this.port, this.path, this.spec.timeoutSeconds * 1000);
    if (this.stopped) return;
    if (ok) {
      this.failures = 0;
      this.successes++;
      if (!this.ready && this.successes >= this.spec.successThreshold) {
        this.ready = true;
        this.onChange(true);
      }
    } else {
      this.successes = 0;
      this.failures++;
      if (this.ready && this.failures >= this.spec.failureThreshold) {
        this.ready = false;
        this.onChange(false);
      }
    }
    this.schedule(this.spec.periodSeconds * 1000);
  }
}
