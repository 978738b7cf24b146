/**
 * softmax(α) as an edges × ops heatmap on a canvas: one row per edge, one column per candidate
 * op, the value printed in each cell and the row's argmax outlined. Pure: canvas and data in.
 */
import { interpolateYlGnBu } from 'd3';

export interface HeatmapData {
  /** [rows·cols] row-major, values in [0, 1]. */
  values: ArrayLike<number>;
  rowLabels: string[];
  colLabels: string[];
}

const LEFT = 44, TOP = 26, CELL_H = 24, FONT = '11px ui-monospace, SFMono-Regular, Menlo, monospace';

/** Height in CSS pixels the canvas needs for `rows` rows. */
export function heatmapHeight(rows: number): number {
  return TOP + rows * CELL_H + 2;
}

export function drawHeatmap(canvas: HTMLCanvasElement, d: HeatmapData, cssWidth: number): void {
  const rows = d.rowLabels.length, cols = d.colLabels.length;
  const cssHeight = heatmapHeight(rows);
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(cssWidth * dpr) || canvas.height !== Math.round(cssHeight * dpr)) {
    canvas.width = Math.round(cssWidth * dpr);
    canvas.height = Math.round(cssHeight * dpr);
    canvas.style.width = `${cssWidth}px`;
    canvas.style.height = `${cssHeight}px`;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssWidth, cssHeight);
  const cw = (cssWidth - LEFT) / Math.max(cols, 1);
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = '#556';
  ctx.textAlign = 'center';
  d.colLabels.forEach((l, c) => ctx.fillText(fitText(ctx, l, cw - 4), LEFT + (c + 0.5) * cw, TOP / 2));
  for (let r = 0; r < rows; r++) {
    const y = TOP + r * CELL_H;
    ctx.fillStyle = '#556';
    ctx.textAlign = 'right';
    ctx.fillText(d.rowLabels[r], LEFT - 6, y + CELL_H / 2);
    let best = 0;
    for (let c = 1; c < cols; c++) if (d.values[r * cols + c] > d.values[r * cols + best]) best = c;
    for (let c = 0; c < cols; c++) {
      const v = d.values[r * cols + c];
      const x = LEFT + c * cw;
      ctx.fillStyle = interpolateYlGnBu(Math.max(0, Math.min(1, v)));
      ctx.fillRect(x + 1, y + 1, cw - 2, CELL_H - 2);
      ctx.fillStyle = v > 0.55 ? '#fff' : '#123';
      ctx.textAlign = 'center';
      ctx.fillText(v.toFixed(3), x + cw / 2, y + CELL_H / 2);
      if (c === best) {
        ctx.strokeStyle = '#d9480f';
        ctx.lineWidth = 2;
        ctx.strokeRect(x + 2, y + 2, cw - 4, CELL_H - 4);
      }
    }
  }
}

function fitText(ctx: CanvasRenderingContext2D, s: string, w: number): string {
  if (ctx.measureText(s).width <= w) return s;
  let t = s;
  while (t.length > 1 && ctx.measureText(`${t}…`).width > w) t = t.slice(0, -1);
  return `${t}…`;
}
