import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BadInputError } from '../../src/common/errors.ts';
import { defaultRoot, loadRelease } from '../../src/release/catalog.ts';
import { resolveChartValues } from '../../src/release/chart-values.ts';
import { renderConfig } from '../../src/targets/local/render-config.ts';
import { workloadSettings } from '../../src/targets/local/workload-settings.ts';

const release = loadRelease('v1.7.0');
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function valuesFile(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'upcert-values-test-'));
  dirs.push(dir);
  await writeFile(path.join(dir, 'values.yaml'), text);
  return path.join(dir, 'values.yaml');
}

describe('chart values for the local target', () => {
  it('uses one replica each by default and two with high availability, unless a component says otherwise', async () => {
    const plain = await resolveChartValues({ root: defaultRoot, release });
    expect(workloadSettings(plain, 'gateway').replicas).toBe(1);
    const ha = await resolveChartValues({ root: defaultRoot, release, highAvailability: true });
    expect(workloadSettings(ha, 'gateway').replicas).toBe(2);
    expect(workloadSettings(ha, 'provider-mock').replicas).toBe(1);
    const three = await resolveChartValues({
      root: defaultRoot,
      release,
      highAvailability: true,
      valuesFiles: [await valuesFile('gateway:\n  replicas: 3\n')],
    });
    expect(workloadSettings(three, 'gateway').replicas).toBe(3);
    expect(workloadSettings(three, 'control-plane').replicas).toBe(2);
  });

  it('layers the release values and user files over the chart, later files winning', async () => {
    const values = await resolveChartValues({
      root: defaultRoot,
      release: { ...release, chart: { ...release.chart, values: { gateway: { maxRequestBytes: 2048 } } } },
      valuesFiles: [
        await valuesFile('gateway:\n  maxRequestBytes: 4096\n  drain: { propagationSeconds: 3 }\n'),
        await valuesFile('gateway:\n  maxRequestBytes: 8192\n'),
      ],
    });
    const config = renderConfig(
      'gateway',
      values,
      { gateway: 'http://g', controlPlane: 'http://c', console: 'http://o', identity: 'http://i' },
      { host: '127.0.0.1', port: 5432 },
    );
    expect(config.gateway.maxRequestBytes).toBe(8192);
    expect(config.gateway.drain).toEqual({ propagationSeconds: 3, keepAliveTimeoutSeconds: 5 }); // merged, not replaced
    expect(config.services.identity).toBe('http://i');
  });

  it('rejects a wrong value naming its field', async () => {
    const values = await resolveChartValues({
      root: defaultRoot,
      release,
      valuesFiles: [await valuesFile('gateway:\n  readinessProbe: { periodSeconds: "soon" }\n')],
    });
    const error = (() => {
      try {
        workloadSettings(values, 'gateway');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).field).toBe('gateway.readinessProbe.periodSeconds');
  });
});
