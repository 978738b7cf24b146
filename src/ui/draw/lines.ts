/**
 * A line chart with several series on a shared time axis (steps, labelled in epochs), an optional
 * log y-axis, an optional second (right, linear) y-axis for series marked `axis: 'right'`, axis
 * titles, a legend on top and a cursor line (replay). Long series are reduced to min/max per pixel
 * column, so a redraw costs O(width) per series.
 */
import { scaleLinear, scaleLog } from 'd3';
import { GRID, INK, MUTED } from './colors';
import type { Painter } from './painter';
import { drawLegend, legendHeight, type LegendItem } from './legend';

export interface Series {
  label: string;
  color: string;
  dash?: number[];
  width?: number;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** 'right': scaled on the second y-axis (LineChartData.y2). Default 'left'. */
  axis?: 'left' | 'right';
}

/** The second y-axis, on the right (linear). */
export interface RightAxis {
  /** Default: the extent of the right-axis series, made nice. */
  domain?: [number, number];
  format?: (v: number) => string;
  /** Axis title, written vertically beside the tick labels. */
  label?: string;
}

export interface LineChartData {
  series: Series[];
  /** Shared across the page's charts: [0, steps so far]. */
  xDomain: [number, number];
  yDomain?: [number, number];
  yLog?: boolean;
  /** Steps per epoch: x ticks are labelled in epochs when given. */
  stepsPerEpoch?: number;
  title?: string;
  yFormat?: (v: number) => string;
  cursor?: number;
  legend?: boolean;
  /** Title of the (left) y-axis, written vertically beside its tick labels. */
  yLabel?: string;
  /** A second y-axis on the right for the series with `axis: 'right'`. */
  y2?: RightAxis;
}

const M = { left: 44, right: 10, bottom: 22 };
/** Extra margin for a vertical axis title. */
const TITLE_W = 14;

/** Left and right margins of a chart: tick labels, plus axis titles when given. */
export function lineMargins(d: Pick<LineChartData, 'yLabel' | 'y2'>): { left: number; right: number } {
  return { left: M.left + (d.yLabel ? TITLE_W : 0), right: d.y2 ? 44 + (d.y2.label ? TITLE_W : 0) : M.right };
}

/** Min/max per pixel column of [x0,y0,…] (after scaling), NaN kept as breaks. */
export function decimate(xs: ArrayLike<number>, ys: ArrayLike<number>, sx: (v: number) => number, sy: (v: number) => number): number[] {
  const out: number[] = [];
  let col = NaN, lo = Infinity, hi = -Infinity, loX = 0, hiX = 0, first = true;
  const flush = () => {
    if (lo === Infinity) return;
    if (lo === hi && loX === hiX) out.push(loX, sy(lo)); // one point in this column
    else if (loX <= hiX) out.push(loX, sy(lo), hiX, sy(hi));
    else out.push(hiX, sy(hi), loX, sy(lo));
  };
  for (let i = 0; i < ys.length; i++) {
    const px = sx(xs[i]);
    const v = ys[i];
    if (!Number.isFinite(v)) {
      flush();
      out.push(NaN, NaN);
      lo = Infinity;
      hi = -Infinity;
      col = NaN;
      continue;
    }
    const c = Math.floor(px);
    if (c !== col || first) {
      flush();
      col = c;
      lo = hi = v;
      loX = hiX = px;
      first = false;
    } else {
      if (v < lo) [lo, loX] = [v, px];
      if (v > hi) [hi, hiX] = [v, px];
    }
  }
  flush();
  return out;
}

function extent(series: Series[], log: boolean): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const s of series) for (let i = 0; i < s.y.length; i++) {
    const v = s.y[i];
    if (Number.isFinite(v) && (!log || v > 0)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo === Infinity) return log ? [1e-3, 1] : [0, 1];
  if (lo === hi) return log ? [lo / 2, hi * 2] : [lo - 0.5 * Math.abs(lo || 1), hi + 0.5 * Math.abs(hi || 1)];
  return [lo, hi];
}

const fmtTick = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(0) : String(+v.toPrecision(3)));

/** Log axes: powers of ten only (or the ends when the range is within one decade), at most 5. */
export function yTicks(ticks: number[], log: boolean): number[] {
  if (!log || ticks.length <= 2) return ticks;
  const pow = ticks.filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9);
  const out = pow.length >= 2 ? pow : [ticks[0], ticks[ticks.length - 1]];
  const k = Math.ceil(out.length / 5);
  return out.filter((_, i) => i % k === 0);
}

export function drawLines(p: Painter, d: LineChartData): void {
  const items: LegendItem[] = d.legend === false ? [] : d.series.map((s) => ({ label: s.label, color: s.color, dash: s.dash, kind: 'line' as const }));
  let top = 6;
  if (d.title) {
    p.text(d.title, 0, 12, { size: 12, weight: 'bold', fill: INK });
    top = 20;
  }
  if (items.length) {
    drawLegend(p, items, 0, top, p.width);
    top += legendHeight(p, items, p.width) + 4;
  }
  const log = !!d.yLog;
  const { left, right } = lineMargins(d);
  const leftSeries = d.y2 ? d.series.filter((s) => s.axis !== 'right') : d.series;
  const rightSeries = d.y2 ? d.series.filter((s) => s.axis === 'right') : [];
  const [y0, y1] = d.yDomain ?? extent(leftSeries, log);
  const sy = (log ? scaleLog() : scaleLinear()).domain([y0, y1]).range([p.height - M.bottom, top + 4]);
  if (!d.yDomain) sy.nice(4);
  const sx = scaleLinear().domain(d.xDomain[1] > d.xDomain[0] ? d.xDomain : [d.xDomain[0], d.xDomain[0] + 1]).range([left, p.width - right]);
  const fy = d.yFormat ?? fmtTick;
  for (const t of yTicks(sy.ticks(log ? 3 : 4), log)) {
    const y = sy(t);
    p.line([left, y, p.width - right, y], GRID, 1);
    p.text(fy(t), left - 5, y, { size: 10, align: 'right', baseline: 'middle', fill: MUTED });
  }
  const midY = (top + 4 + p.height - M.bottom) / 2;
  if (d.yLabel) p.text(d.yLabel, 9, midY, { size: 10, align: 'center', baseline: 'middle', fill: MUTED, rotate: -90 });
  let sy2: ((v: number) => number) | null = null;
  if (d.y2) {
    const r = scaleLinear().domain(d.y2.domain ?? extent(rightSeries, false)).range([p.height - M.bottom, top + 4]);
    if (!d.y2.domain) r.nice(4);
    const f2 = d.y2.format ?? fmtTick;
    const x = p.width - right;
    p.line([x, top + 4, x, p.height - M.bottom], MUTED, 1);
    for (const t of r.ticks(4)) {
      p.line([x, r(t), x + 4, r(t)], MUTED, 1);
      p.text(f2(t), x + 6, r(t), { size: 10, align: 'left', baseline: 'middle', fill: MUTED });
    }
    // a symbol (Λ) stays upright; a phrase reads top to bottom
    if (d.y2.label) p.text(d.y2.label, p.width - 7, midY, { size: d.y2.label.length > 2 ? 10 : 12, align: 'center', baseline: 'middle', fill: MUTED, rotate: d.y2.label.length > 2 ? 90 : 0 });
    sy2 = r;
  }
  const spe = d.stepsPerEpoch ?? 0;
  const xs = spe > 0 ? scaleLinear().domain([sx.domain()[0] / spe, sx.domain()[1] / spe]) : sx;
  for (const t of xs.ticks(Math.max(2, Math.floor((p.width - left - (right - M.right)) / 70)))) {
    const x = sx(spe > 0 ? t * spe : t);
    p.line([x, p.height - M.bottom, x, p.height - M.bottom + 4], MUTED, 1);
    p.text(String(t), x, p.height - M.bottom + 6, { size: 10, align: 'center', baseline: 'top', fill: MUTED });
  }
  p.text(spe > 0 ? 'epoch' : 'step', p.width - right - (d.y2 ? 3 : 0), p.height - M.bottom - 3, { size: 9, align: 'right', fill: MUTED });
  p.line([left, p.height - M.bottom, p.width - right, p.height - M.bottom], MUTED, 1);
  const [lo, hi] = [sy.range()[1] - 2, sy.range()[0] + 2];
  const clampY = (v: number) => (log && v <= 0 ? NaN : Math.max(lo, Math.min(hi, sy(v))));
  const clampY2 = (v: number) => Math.max(lo, Math.min(hi, sy2!(v)));
  for (const s of d.series) p.line(decimate(s.x, s.y, sx, sy2 && s.axis === 'right' ? clampY2 : clampY), s.color, s.width ?? 1.6, s.dash);
  if (d.cursor !== undefined && Number.isFinite(d.cursor)) {
    const x = sx(d.cursor);
    p.line([x, top, x, p.height - M.bottom], INK, 1, [3, 3]);
  }
}
