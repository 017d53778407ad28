import type { Cell } from './cell.ts';
import { cellsOfShard } from './shard.ts';

/**
 * `matrix plan --github`: the job matrix a GitHub Actions workflow consumes (`strategy.matrix:
 * ${{ fromJSON(needs.plan.outputs.matrix) }}`, the pattern of
 * https://docs.github.com/en/actions/reference/workflows-and-actions/expressions#fromjson): one `include`
 * entry per shard, each running `upcert matrix run --shard <shard>`. `shards` defaults to one per cell.
 */
export interface GithubMatrix {
  include: { shard: string; name: string; cells: string }[];
}

export function githubMatrix(cells: Cell[], shards?: number): GithubMatrix {
  const running = cells.filter((c) => c.runs);
  const count = Math.max(1, Math.min(shards ?? running.length, running.length));
  const include: GithubMatrix['include'] = [];
  for (let index = 1; index <= count; index++) {
    const mine = cellsOfShard(cells, { index, count });
    if (mine.length === 0) continue;
    const name = mine.map((c) => `${c.path.join('→')} ${c.target}`).join(', ');
    include.push({ shard: `${index}/${count}`, name, cells: mine.map((c) => c.id).join(' ') });
  }
  return { include };
}
