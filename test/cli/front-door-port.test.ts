/**
 * The run itself, not only the preflight, turns a taken fixed port into exit 3: the local target's front door
 * fails with an EnvironmentError naming the port and the setting (another program may take the port between the
 * preflight and the install).
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { EnvironmentError, exitCodeOf } from '../../src/common/errors.ts';
import { FrontDoor } from '../../src/targets/local/front-door.ts';

describe('a front door on a fixed port', () => {
  it('listens on the port it is given', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    await using door = await FrontDoor.open('gateway', port, 'local.ports.gateway');
    expect(door.url).toBe(`http://127.0.0.1:${port}`);
  });

  it('a port in use is exit 3 naming the port and the setting', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const error = await FrontDoor.open('identity', port, 'local.ports.identity').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EnvironmentError);
      expect(exitCodeOf(error)).toBe(3);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^open front door: identity port 127\\.0\\.0\\.1:${port} is in use \\(set by local\\.ports\\.identity\\); to fix: `,
        ),
      );
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});
