/**
 * The per-layer view: one row per cell ℓ with its gradient norm ‖g^ℓ‖ as a bar and its vote
 * −J(p)·g^ℓ per edge and op as a diverging grid (blue: this cell pushes the op up; red: down).
 * Columns are grouped by edge; a strip in each op's colour marks the op of each column. One scale
 * for all cells (|vote| max over the grid), so rows compare.
 */
import { divergingColor, INK, MUTED, opColor } from './colors';
import { fitText, type Painter } from './painter';

export interface VotesData {
  /** [cells·E·K] */
  votes: ArrayLike<number>;
  /** ‖g^ℓ‖ per cell. */
  gradNorms: ArrayLike<number>;
  cellLabels: string[];
  edgeLabels: string[];
  ops: string[];
  title?: string;
}

const LABEL = 84, BAR = 64, TOP = 30, GAP = 4, FOOT = 18;

function rowHeight(width: number, E: number, K: number): number {
  const sq = (width - LABEL - BAR - GAP * E) / Math.max(E * K, 1);
  return Math.max(14, Math.min(24, sq * 1.4));
}

export function votesHeight(width: number, cells: number, E: number, K: number, title = false): number {
  return (title ? 18 : 0) + TOP + cells * rowHeight(width, E, K) + FOOT;
}

export function drawVotes(p: Painter, d: VotesData): void {
  const L = d.cellLabels.length, E = d.edgeLabels.length, K = d.ops.length;
  const y0 = d.title ? 18 : 0;
  if (d.title) p.text(d.title, 0, 12, { size: 12, weight: 'bold', fill: INK });
  const sq = (p.width - LABEL - BAR - GAP * E) / Math.max(E * K, 1);
  const rh = rowHeight(p.width, E, K);
  let vmax = 0, gmax = 0;
  for (let i = 0; i < L * E * K; i++) if (Number.isFinite(d.votes[i])) vmax = Math.max(vmax, Math.abs(d.votes[i]));
  for (let l = 0; l < L; l++) if (Number.isFinite(d.gradNorms[l])) gmax = Math.max(gmax, d.gradNorms[l]);
  const gx = (e: number) => LABEL + BAR + e * (K * sq + GAP);
  p.text('‖gˡ‖', LABEL + 2, y0 + TOP - 10, { size: 10, fill: MUTED });
  for (let e = 0; e < E; e++) {
    p.text(fitText(p, d.edgeLabels[e], K * sq, 10, true), gx(e) + (K * sq) / 2, y0 + TOP - 10, { size: 10, align: 'center', fill: MUTED, mono: true });
    for (let k = 0; k < K; k++) p.rect(gx(e) + k * sq, y0 + TOP - 5, sq - 0.5, 3, opColor(d.ops[k]));
  }
  for (let l = 0; l < L; l++) {
    const y = y0 + TOP + l * rh;
    p.text(fitText(p, d.cellLabels[l], LABEL - 6, 11), 0, y + rh / 2, { size: 11, baseline: 'middle', fill: INK });
    const g = d.gradNorms[l];
    const bw = gmax > 0 && Number.isFinite(g) ? ((BAR - 10) * g) / gmax : 0;
    p.rect(LABEL, y + 3, bw, rh - 6, '#868e96');
    for (let e = 0; e < E; e++) {
      for (let k = 0; k < K; k++) {
        const v = d.votes[(l * E + e) * K + k];
        p.rect(gx(e) + k * sq, y + 0.5, sq - 0.5, rh - 1, divergingColor(vmax > 0 ? v / vmax : 0));
      }
    }
  }
  const fy = y0 + TOP + L * rh + 12;
  p.text(`bar: ‖gˡ‖, max ${gmax.toPrecision(3)} · squares: vote, ±${vmax.toPrecision(2)}`, 0, fy, { size: 10, fill: MUTED });
}
