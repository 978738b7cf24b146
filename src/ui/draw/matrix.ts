/**
 * The L×L gradient-correlation matrix cos(g_i, g_j) on a diverging scale (red −1, white 0, blue +1),
 * with the values printed and a colour bar.
 */
import { divergingColor, INK, MUTED, textOn } from './colors';
import type { Painter } from './painter';

export interface MatrixData {
  /** [L·L] row-major. */
  values: ArrayLike<number>;
  labels: string[];
  title?: string;
}

const LEFT = 34, TOP = 8, BAR = 26, MAX_CELL = 56;

function cellSize(width: number, L: number): number {
  return Math.max(8, Math.min(MAX_CELL, (width - LEFT - BAR - 8) / Math.max(L, 1)));
}

export function matrixHeight(width: number, L: number, title = false): number {
  return (title ? 18 : 0) + TOP + Math.max(L * cellSize(width, L), 60) + 22;
}

export function drawMatrix(p: Painter, d: MatrixData): void {
  const L = d.labels.length;
  const y0 = (d.title ? 18 : 0) + TOP;
  if (d.title) p.text(d.title, 0, 12, { size: 12, weight: 'bold', fill: INK });
  if (L === 0) {
    p.text('no regularized cells', LEFT, y0 + 20, { size: 11, fill: MUTED });
    return;
  }
  const cs = cellSize(p.width, L);
  for (let i = 0; i < L; i++) {
    p.text(d.labels[i], LEFT - 5, y0 + (i + 0.5) * cs, { size: 10, align: 'right', baseline: 'middle', fill: MUTED, mono: true });
    p.text(d.labels[i], LEFT + (i + 0.5) * cs, y0 + L * cs + 4, { size: 10, align: 'center', baseline: 'top', fill: MUTED, mono: true });
    for (let j = 0; j < L; j++) {
      const v = d.values[i * L + j];
      const fill = divergingColor(v);
      p.rect(LEFT + j * cs + 0.5, y0 + i * cs + 0.5, cs - 1, cs - 1, fill);
      if (cs >= 26) p.text(Number.isFinite(v) ? v.toFixed(2) : '—', LEFT + (j + 0.5) * cs, y0 + (i + 0.5) * cs, { size: cs >= 40 ? 11 : 9, align: 'center', baseline: 'middle', fill: textOn(fill), mono: true });
    }
  }
  // colour bar −1 … +1
  const bx = LEFT + L * cs + 10, bh = Math.max(L * cs, 60), steps = 20;
  for (let k = 0; k < steps; k++) p.rect(bx, y0 + (k * bh) / steps, 8, bh / steps + 0.5, divergingColor(1 - (2 * k) / (steps - 1)));
  p.text('+1', bx + 10, y0 + 4, { size: 9, baseline: 'middle', fill: MUTED });
  p.text('0', bx + 10, y0 + bh / 2, { size: 9, baseline: 'middle', fill: MUTED });
  p.text('−1', bx + 10, y0 + bh - 4, { size: 9, baseline: 'middle', fill: MUTED });
}
