/**
 * The collapse indicator: how much of the derived (normal) cell is skip_connect or parameter-free,
 * and where the skip count went over the last epoch. Pure: numbers in, a verdict and a sentence out.
 */

export type CollapseLevel = 'undecided' | 'healthy' | 'drifting' | 'collapsing' | 'collapsed';

export interface CollapseInput {
  skipCount: number;
  paramFreeCount: number;
  /** Edges in the derived (normal) cell: NB201 6, DARTS cells 2 per intermediate node. */
  edges: number;
  /** Skip count about one epoch earlier (NaN when the run is younger than that). */
  skipBefore: number;
  /** Mean over edges of max_k p (saturation) and the number of ops K: near 1/K, α is still uniform. */
  meanMaxP?: number;
  ops?: number;
}

/** Saturation above uniform (1/K) below which the argmax, hence the derived cell, is still noise. */
export const UNDECIDED_MARGIN = 0.02;

export interface CollapseVerdict {
  level: CollapseLevel;
  /** Short label: "Healthy", "Drifting", "Collapsing", "Collapsed". */
  label: string;
  /** One sentence a newcomer understands. */
  text: string;
  trend: 'up' | 'down' | 'flat' | 'unknown';
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

export function collapseVerdict(c: CollapseInput): CollapseVerdict {
  const { skipCount: s, paramFreeCount: pf, edges: E } = c;
  if (c.meanMaxP !== undefined && c.ops && c.meanMaxP < 1 / c.ops + UNDECIDED_MARGIN) {
    return {
      level: 'undecided', label: 'Undecided', trend: 'unknown',
      text: `Undecided: softmax(α) is still close to uniform (mean max p ${c.meanMaxP.toFixed(2)}, uniform ${(1 / c.ops).toFixed(2)}), so the derived cell (${s} of ${E} skip_connect) can flip from step to step.`,
    };
  }
  const trend = !Number.isFinite(c.skipBefore) ? 'unknown' : s > c.skipBefore ? 'up' : s < c.skipBefore ? 'down' : 'flat';
  let level: CollapseLevel;
  if (s >= E || pf >= E) level = 'collapsed';
  else if (2 * s >= E) level = 'collapsing';
  else if (trend === 'up' || 3 * s >= E || 3 * pf >= 2 * E) level = 'drifting';
  else level = 'healthy';
  const skips = `${s} of ${E} ${plural(E, 'edge', 'edges')} ${plural(s, 'is', 'are')} skip_connect`;
  const since = trend === 'up' ? ` (up from ${c.skipBefore} an epoch ago)` : trend === 'down' ? ` (down from ${c.skipBefore} an epoch ago)` : '';
  const extra = pf > s ? `; ${pf} parameter-free in all` : '';
  const text = {
    healthy: `Healthy: ${skips}${since}${extra}.`,
    drifting: `Drifting: ${skips}${since}${extra}.`,
    collapsing: `Collapsing: ${skips}${since}${extra}.`,
    collapsed: s >= E ? `Collapsed: every edge is skip_connect — the all-skip cell.` : `Collapsed: all ${E} edges are parameter-free (${s} skip_connect).`,
  }[level];
  return { level, label: level[0].toUpperCase() + level.slice(1), text, trend };
}

/** Mean over the first E edges of max_k p (the normal cell's α comes first in a softmax row). */
export function meanMaxP(p: ArrayLike<number>, E: number, K: number): number {
  let sum = 0;
  for (let e = 0; e < E; e++) {
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, p[e * K + k]);
    sum += m;
  }
  return sum / E;
}
