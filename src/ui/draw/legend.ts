/** A wrapping legend of swatches (line, dashed line or square) with labels. */
import { INK } from './colors';
import type { Painter } from './painter';

export interface LegendItem {
  label: string;
  color: string;
  dash?: number[];
  kind?: 'line' | 'square';
}

const ROW = 16, SWATCH = 18, GAP = 12, SIZE = 11;

function layout(p: Painter, items: LegendItem[], width: number): { x: number; row: number }[] {
  let x = 0, row = 0;
  return items.map((it) => {
    const w = SWATCH + 4 + p.measure(it.label, SIZE);
    if (x > 0 && x + w > width) {
      x = 0;
      row++;
    }
    const at = { x, row };
    x += w + GAP;
    return at;
  });
}

export function legendHeight(p: Painter, items: LegendItem[], width: number): number {
  if (!items.length) return 0;
  return (Math.max(...layout(p, items, width).map((l) => l.row)) + 1) * ROW;
}

export function drawLegend(p: Painter, items: LegendItem[], x0: number, y0: number, width: number): void {
  layout(p, items, width).forEach(({ x, row }, i) => {
    const it = items[i];
    const y = y0 + row * ROW + ROW / 2;
    if (it.kind === 'square') p.rect(x0 + x + 4, y - 5, 10, 10, it.color);
    else p.line([x0 + x, y, x0 + x + SWATCH, y], it.color, 2.5, it.dash);
    p.text(it.label, x0 + x + SWATCH + 4, y, { size: SIZE, baseline: 'middle', fill: INK });
  });
}
