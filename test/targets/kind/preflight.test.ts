import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { EnvironmentError, exitCodeOf } from '../../../src/common/errors.ts';
import { defaultRoot, loadRelease } from '../../../src/release/catalog.ts';
import { nodeImageFor, readNodeImages } from '../../../src/targets/kind/node-image.ts';
import { kubePreflight } from '../../../src/targets/kube/preflight.ts';
import { installCommands, onPath } from '../../../src/targets/kube/tools.ts';

const bin = mkdtempSync(path.join(os.tmpdir(), 'upcert-bin-'));
afterAll(() => rmSync(bin, { recursive: true, force: true }));
const tool = (name: string) => {
  writeFileSync(path.join(bin, name), '#!/bin/sh\n');
  chmodSync(path.join(bin, name), 0o755);
};

describe('missing tools: exit 3 with the command that installs each', () => {
  test('nothing on PATH: the kind target names docker, kind, helm and kubectl, each with its install command', () => {
    const error = (() => {
      try {
        kubePreflight('kind', [], bin);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(exitCodeOf(error)).toBe(3);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^preflight: the kind target needs docker, kind, helm, kubectl \(not found on PATH\); to fix:/,
    );
    for (const t of ['docker', 'kind', 'helm', 'kubectl'] as const)
      expect(message).toContain(`${t}: ${installCommands[t]}`);
    expect(message).toContain('kind.sigs.k8s.io/dl/v0.29.0/kind-linux-amd64');
  });

  test('the cluster target needs only helm and kubectl; an executable on PATH counts, a plain file does not', () => {
    tool('helm');
    writeFileSync(path.join(bin, 'kubectl'), 'not executable', { mode: 0o644 });
    expect(onPath('helm', bin)).toBe(true);
    expect(() => kubePreflight('cluster', [], bin)).toThrow(
      /needs kubectl \(not found on PATH\); to fix: \n {2}kubectl: npx upcert setup/,
    );
    tool('kubectl');
    expect(() => kubePreflight('cluster', [], bin)).not.toThrow();
  });

  test('kind with every tool but no recorded image digest: exit 3 naming npm run images:build', () => {
    for (const t of ['docker', 'kind', 'helm', 'kubectl']) tool(t);
    const unbuilt = structuredClone(loadRelease('v1.8.0'));
    unbuilt.components.gateway.image.digest = null;
    expect(() => kubePreflight('kind', [unbuilt], bin)).toThrow(
      /no image digest recorded for v1\.8\.0\/gateway.*to fix: npm run images:build/,
    );
  });
});

describe('kind node images', () => {
  test('each release baseline has a node image pinned by digest', () => {
    const images = readNodeImages(defaultRoot);
    for (const r of ['v1.7.0', 'v1.8.0', 'v1.9.0']) {
      expect(nodeImageFor(images, loadRelease(r).kubernetes)).toMatch(
        /^kindest\/node:v1\.3[123]\.\d+@sha256:[0-9a-f]{64}$/,
      );
    }
    expect(nodeImageFor(images, '1.32')).toContain('v1.32.');
  });
  test('a baseline without an image is bad input naming it', () => {
    expect(() => nodeImageFor(readNodeImages(defaultRoot), '1.29')).toThrow(
      /no kind node image pinned for baseline 1\.29/,
    );
  });
});
