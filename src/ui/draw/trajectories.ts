/**
 * softmax(α) over time as small multiples: one panel per edge, one line per op in its colour,
 * y from 0 to 1, all panels on the shared time axis.
 */
import { scaleLinear } from 'd3';
import { GRID, INK, MUTED, opColor } from './colors';
import { decimate } from './lines';
import { drawLegend, legendHeight } from './legend';
import type { Painter } from './painter';

export interface TrajectoryData {
  /** Rows of the history's softmax vectors: row i, α-offset o, edge e, op k at rows[i·stride + o + e·K + k]. */
  rows: ArrayLike<number>;
  stride: number;
  offset: number;
  /** Step of each row. */
  x: ArrayLike<number>;
  n: number;
  xDomain: [number, number];
  edgeLabels: string[];
  ops: string[];
  title?: string;
  cursor?: number;
}

const PANEL_MIN = 132, PANEL_H = 74, GAP = 8;

function columns(width: number, E: number): number {
  return Math.max(1, Math.min(E, Math.floor((width + GAP) / (PANEL_MIN + GAP))));
}

function legendItems(ops: string[]) {
  return ops.map((o) => ({ label: o, color: opColor(o), kind: 'line' as const }));
}

export function trajectoriesHeight(p: Pick<Painter, 'measure'>, width: number, E: number, ops: string[], title = false): number {
  const rows = Math.ceil(E / columns(width, E));
  return (title ? 18 : 0) + legendHeight(p as Painter, legendItems(ops), width) + 6 + rows * (PANEL_H + GAP);
}

export function drawTrajectories(p: Painter, d: TrajectoryData): void {
  const E = d.edgeLabels.length, K = d.ops.length;
  let top = 0;
  if (d.title) {
    p.text(d.title, 0, 12, { size: 12, weight: 'bold', fill: INK });
    top = 18;
  }
  const items = legendItems(d.ops);
  drawLegend(p, items, 0, top, p.width);
  top += legendHeight(p, items, p.width) + 6;
  const cols = columns(p.width, E);
  const pw = (p.width - GAP * (cols - 1)) / cols;
  const series = new Float32Array(d.n);
  for (let e = 0; e < E; e++) {
    const x0 = (e % cols) * (pw + GAP), y0 = top + Math.floor(e / cols) * (PANEL_H + GAP);
    const sx = scaleLinear().domain(d.xDomain[1] > d.xDomain[0] ? d.xDomain : [0, 1]).range([x0 + 2, x0 + pw - 2]);
    const sy = scaleLinear().domain([0, 1]).range([y0 + PANEL_H - 2, y0 + 14]);
    p.rect(x0, y0 + 12, pw, PANEL_H - 12, '#fbfbfd', GRID, 1);
    p.line([x0, sy(0.5), x0 + pw, sy(0.5)], GRID, 1);
    p.text(d.edgeLabels[e], x0 + 2, y0 + 9, { size: 10, fill: MUTED, mono: true });
    let best = 0, bestV = -1;
    for (let k = 0; k < K; k++) {
      const j = d.offset + e * K + k;
      for (let i = 0; i < d.n; i++) series[i] = d.rows[i * d.stride + j];
      const last = d.n ? series[d.n - 1] : NaN;
      if (last > bestV) [best, bestV] = [k, last];
      p.line(decimate(d.x, series, sx, sy), opColor(d.ops[k]), 1.4);
    }
    if (d.n) p.text(`${d.ops[best]} ${bestV.toFixed(2)}`, x0 + pw - 2, y0 + 9, { size: 9, align: 'right', fill: opColor(d.ops[best]) });
    if (d.cursor !== undefined) {
      const x = sx(d.cursor);
      p.line([x, y0 + 12, x, y0 + PANEL_H], INK, 1, [2, 2]);
    }
  }
}
