import { describe, expect, it } from 'vitest';
import { parseCpuQuantity } from '../../../src/common/cpu-quantity.ts';
import { milliCpuToShares, niceFor, weighCpu } from '../../../src/targets/local/cpu-weight.ts';
import { type WorkloadName, workloadSettings } from '../../../src/targets/local/workload-settings.ts';

describe('CPU weights from resources.requests.cpu (kubelet shares → nice)', () => {
  it("converts milli-CPU to shares as kubelet's MilliCPUToShares does", () => {
    expect(milliCpuToShares(0)).toBe(2); // BestEffort
    expect(milliCpuToShares(1)).toBe(2);
    expect(milliCpuToShares(10)).toBe(10);
    expect(milliCpuToShares(50)).toBe(51);
    expect(milliCpuToShares(100)).toBe(102);
    expect(milliCpuToShares(500)).toBe(512);
    expect(milliCpuToShares(1000)).toBe(1024);
    expect(milliCpuToShares(1_000_000)).toBe(262_144);
  });

  it('parses CPU quantities and names the field of a bad one', () => {
    expect(parseCpuQuantity('500m', 'f')).toBe(500);
    expect(parseCpuQuantity('0.25', 'f')).toBe(250);
    expect(parseCpuQuantity(2, 'f')).toBe(2000);
    expect(parseCpuQuantity(undefined, 'f')).toBeNull();
    expect(() => parseCpuQuantity('half', 'gateway.resources.requests.cpu')).toThrow(
      /gateway\.resources\.requests\.cpu: "half" is not a CPU quantity/,
    );
  });

  it("picks the nice whose kernel weight matches the share ratio; the largest request keeps upcert's own", () => {
    expect(niceFor(512, 512)).toBe(0);
    expect(niceFor(1024, 512)).toBe(0); // never above nice 0
    expect(niceFor(256, 512)).toBe(3); // 512 vs 526
    expect(niceFor(102, 512)).toBe(7); // 204 vs 215
    expect(niceFor(10, 51)).toBe(7); // the reference chart's 10m beside 50m
    expect(niceFor(2, 512)).toBe(19); // BestEffort beside a request: the lowest weight there is
  });

  it('weighs workloads by their requests (a limit alone counts as the request; none at all, the least)', () => {
    const values = {
      gateway: { resources: { requests: { cpu: '50m' } } },
      providerMock: { resources: { limits: { cpu: '50m' } } },
      controlPlane: { resources: { requests: { cpu: '10m' } } },
      console: { resources: { requests: { cpu: '10m' }, limits: { cpu: '1' } } },
      identity: {},
    };
    const names: WorkloadName[] = ['gateway', 'provider-mock', 'control-plane', 'console', 'identity'];
    const weighed = weighCpu(
      Object.fromEntries(names.map((n) => [n, workloadSettings(values, n)])) as Record<
        WorkloadName,
        ReturnType<typeof workloadSettings>
      >,
    );
    expect(Object.fromEntries(names.map((n) => [n, weighed[n].nice]))).toEqual({
      gateway: 0,
      'provider-mock': 0,
      'control-plane': 7,
      console: 7,
      identity: 15, // no request: 2 shares beside 51, weight 40 → nice 15 (36)
    });
    // no requests anywhere: all equal
    const none = weighCpu(
      Object.fromEntries(names.map((n) => [n, workloadSettings({}, n)])) as Record<
        WorkloadName,
        ReturnType<typeof workloadSettings>
      >,
    );
    expect(new Set(Object.values(none).map((s) => s.nice))).toEqual(new Set([0]));
  });
});
