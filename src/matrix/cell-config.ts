import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { fileLayer, mergeLayers } from '../config/resolve.ts';
import type { UpcertConfig } from '../config/schema.ts';
import type { Cell } from './cell.ts';

/** The configuration one cell runs with: the user's, on the cell's target and topology. */
export function cellConfig(config: UpcertConfig, cell: Cell): UpcertConfig {
  return {
    ...config,
    target: cell.target,
    local: { ...config.local, highAvailability: cell.topology === 'ha' },
    kube: { ...config.kube, topology: cell.topology, ...kubernetesOf(cell) },
  };
}

/** The kind node image's Kubernetes minor of a cell (none on the local target). */
function kubernetesOf(cell: Cell): { kubernetes?: string } {
  return cell.baseline === 'none' ? {} : { kubernetes: cell.baseline };
}

/** The cell's configuration file for its `upcert certify` (the user's file, plus the cell's topology). */
export async function writeCellConfig(dir: string, cell: Cell, userFile: string | undefined): Promise<string> {
  const user = fileLayer(userFile ?? 'upcert.config.yaml', Boolean(userFile));
  const layer = mergeLayers(user, {
    local: { highAvailability: cell.topology === 'ha' },
    kube: { topology: cell.topology, ...kubernetesOf(cell) },
  });
  const file = path.join(dir, 'upcert.config.yaml');
  await writeFile(file, `# upcert matrix: configuration of ${cell.id}\n${stringify(layer)}`);
  return file;
}
