/**
 * softmax(α) as an edges × ops heatmap: one row per edge, one column per candidate op, the value
 * in each cell, the row's argmax outlined, and the row's saturation (max p) at the right.
 */
import { fitText, type Painter } from './painter';
import { SHORT_OP } from './cellGraph';
import { INK, MUTED, opColor, probColor, textOn } from './colors';

export interface HeatmapData {
  /** [rows·cols] row-major, values in [0, 1]. */
  values: ArrayLike<number>;
  rowLabels: string[];
  colLabels: string[];
  title?: string;
}

const LEFT = 46, TOP = 30, RIGHT = 44, CELL_H = 22;

export function heatmapHeight(rows: number, title = false): number {
  return (title ? 18 : 0) + TOP + rows * CELL_H + 4;
}

export function drawHeatmap(p: Painter, d: HeatmapData): void {
  const rows = d.rowLabels.length, cols = d.colLabels.length;
  const y0 = d.title ? 18 : 0;
  if (d.title) p.text(d.title, 0, 12, { size: 12, weight: 'bold', fill: INK });
  const cw = (p.width - LEFT - RIGHT) / Math.max(cols, 1);
  const small = cw < 44;
  d.colLabels.forEach((l, c) => {
    const x = LEFT + (c + 0.5) * cw;
    p.rect(LEFT + c * cw + 2, y0 + TOP - 7, cw - 4, 3, opColor(l));
    const name = p.measure(l, 10) <= cw - 2 ? l : SHORT_OP[l] ?? l;
    p.text(fitText(p, name, cw - 2, 10), x, y0 + TOP - 12, { size: 10, align: 'center', fill: MUTED });
  });
  p.text('max p', p.width - RIGHT / 2, y0 + TOP - 12, { size: 10, align: 'center', fill: MUTED });
  for (let r = 0; r < rows; r++) {
    const y = y0 + TOP + r * CELL_H;
    p.text(d.rowLabels[r], LEFT - 6, y + CELL_H / 2, { size: 11, align: 'right', baseline: 'middle', fill: MUTED, mono: true });
    let best = 0;
    for (let c = 1; c < cols; c++) if (d.values[r * cols + c] > d.values[r * cols + best]) best = c;
    for (let c = 0; c < cols; c++) {
      const v = d.values[r * cols + c];
      const x = LEFT + c * cw;
      const fill = probColor(v);
      p.rect(x + 1, y + 1, cw - 2, CELL_H - 2, fill);
      if (cw > 26) p.text(small ? v.toFixed(2).replace(/^0/, '') : v.toFixed(3), x + cw / 2, y + CELL_H / 2, { size: 10, align: 'center', baseline: 'middle', fill: textOn(fill), mono: true });
      if (c === best) p.rect(x + 2, y + 2, cw - 4, CELL_H - 4, null, '#d9480f', 2);
    }
    p.text(d.values[r * cols + best].toFixed(2), p.width - RIGHT / 2, y + CELL_H / 2, { size: 11, align: 'center', baseline: 'middle', fill: INK, mono: true });
  }
}
