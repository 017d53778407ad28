import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../src/load/rate-meter.ts';
import { whyShort } from '../../src/load/rate-shortfall.ts';

/** `sent` requests go out in each of `seconds` one-second windows in which `due` fall due. */
function run(meter: RateMeter, seconds: { due: number; sent: number }[], issuing = true): boolean[] {
  let t = 0;
  let due = 0;
  return seconds.map((s) => {
    for (let i = 0; i < s.sent; i++) meter.sent();
    t += 1000;
    due += s.due;
    return meter.tick(t, due, issuing);
  });
}

describe('RateMeter', () => {
  it('records the rate sent per second and warns once per stretch of more than a second below 99 %', () => {
    const meter = new RateMeter(0);
    const second = (sent: number) => ({ due: 4000, sent });
    const warned = run(meter, [
      second(4000),
      second(3990),
      second(3900),
      second(3800),
      second(3700),
      second(4000),
      second(3000),
      second(3000),
    ]);
    expect(meter.perSecond).toEqual([4000, 3990, 3900, 3800, 3700, 4000, 3000, 3000]);
    expect(warned).toEqual([false, false, false, true, false, false, false, true]);
    expect(meter.shortSeconds).toBe(5);
  });

  it('one short second is not a warning; paused or stopped seconds are not counted', () => {
    const meter = new RateMeter(0);
    expect(
      run(meter, [
        { due: 100, sent: 50 },
        { due: 100, sent: 100 },
      ]),
    ).toEqual([false, false]);
    expect(
      run(
        meter,
        [
          { due: 0, sent: 0 },
          { due: 0, sent: 0 },
        ],
        false,
      ),
    ).toEqual([false, false]);
    expect(meter.perSecond).toEqual([50, 100]);
  });
});

describe('whyShort', () => {
  const base = {
    sent: 3000,
    asked: 4000,
    inFlight: 10,
    cap: 100,
    backlog: 0,
    queued: 0,
    own: { busy: 0.97, cpuCores: 0.98 },
  };
  it('names the cap, the connections or the client CPU, with the figures', () => {
    expect(whyShort({ ...base, backlog: 50, inFlight: 100 })).toBe(
      'the cap: 100 requests in flight, the in-flight cap (3000 req/s sent of 4000 asked)',
    );
    expect(whyShort({ ...base, queued: 7 })).toMatch(/^connections: 7 requests wait for a free connection/);
    expect(whyShort(base)).toMatch(/^client CPU: the generator's event loop was busy 97 %, process CPU 0.98 cores/);
  });
});
