import type { Margins } from '../config/schema.ts';
import type { Matrix, MatrixCell, Regression } from './matrix-schema.ts';

type Figure = Regression['figure'];

/** How far each figure may grow over the baseline's: a share of it, or a number of milliseconds. */
function limitOf(figure: Figure, baseline: number, m: Margins): number {
  switch (figure) {
    case 'upgradeDurationMs':
      return baseline * (1 + m.upgradeDuration);
    case 'rolloutP99Ms':
      return baseline * (1 + m.rolloutP99);
    case 'rolloutOutageMs':
      return baseline + m.rolloutOutageMs;
    case 'lostSpendWindowMs':
      return baseline + m.lostSpendWindowMs;
  }
}

const figures: Figure[] = ['upgradeDurationMs', 'rolloutOutageMs', 'rolloutP99Ms', 'lostSpendWindowMs'];

/**
 * `--baseline <previous matrix.json>`: each cell that ran here and passed there is compared figure by figure
 * with the same cell (by row and column: a new release's cells keep their from-versions and columns); a
 * figure beyond its margin is a regression.
 */
export function regressions(cells: MatrixCell[], baseline: Matrix, margins: Margins): Regression[] {
  const before = new Map(baseline.cells.map((c) => [`${c.row}|${c.column}`, c]));
  const found: Regression[] = [];
  for (const cell of cells) {
    const old = before.get(`${cell.row}|${cell.column}`);
    if (!old?.figures || !cell.figures || old.status !== 'passed') continue;
    for (const figure of figures) {
      const [was, now] = [old.figures[figure], cell.figures[figure]];
      if (was === null || now === null) continue;
      const limit = Math.round(limitOf(figure, was, margins));
      if (now > limit) found.push({ cell: cell.id, figure, baseline: was, current: now, limit });
    }
  }
  return found;
}
