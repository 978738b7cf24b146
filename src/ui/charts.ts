/**
 * Chart specs from the store: which rows, which labels, which draw function. Each returns null
 * while there is nothing to draw. Kept apart from the components so that they stay thin.
 */
import { parseDarts, parseNb201 } from '../core/genotype';
import { dartsEdges, NB201_EDGES } from '../core/spaces';
import type { ScalarKey } from '../worker/history';
import type { ChartSpec } from './components/ChartCard';
import { dartsGraph, nb201Graph, type CellGraph } from './draw/cellGraph';
import { methodColor } from './draw/colors';
import { drawHeatmap, heatmapHeight } from './draw/heatmap';
import { drawLines, type Series } from './draw/lines';
import { drawMatrix, matrixHeight } from './draw/matrix';
import { drawTrajectories, trajectoriesHeight } from './draw/trajectories';
import { drawVotes, votesHeight } from './draw/votes';
import { datasetLabel, nb201Column } from './nb201';
import type { ChartStore } from './store';
import type { Nb201Dataset, Nb201Table } from '../eval/nb201-lookup';

/** Offset of α `a` in a softmax row. */
function alphaOffset(store: ChartStore, a: number): number {
  let o = 0;
  for (let i = 0; i < a; i++) o += store.race!.alphas[i].numEdges * store.race!.alphas[i].ops.length;
  return o;
}

export function heatmapSpec(store: ChartStore, run: number, a: number): ChartSpec | null {
  const race = store.race, row = store.rowOf(run);
  if (!race || row < 0) return null;
  const al = race.alphas[a];
  const o = alphaOffset(store, a);
  const values = store.runs[run].history.vector('softmax', row).subarray(o, o + al.numEdges * al.ops.length);
  return { height: () => heatmapHeight(al.numEdges), draw: (p) => drawHeatmap(p, { values, rowLabels: al.edges, colLabels: al.ops }) };
}

export function trajectoriesSpec(store: ChartStore, run: number, a: number): ChartSpec | null {
  const race = store.race, n = store.shownRows(run);
  if (!race || n <= 0) return null;
  const h = store.runs[run].history;
  const al = race.alphas[a];
  const d = {
    rows: h.data('softmax'), stride: race.widths.softmax, offset: alphaOffset(store, a), x: h.column('step', n), n,
    xDomain: store.xDomain(), edgeLabels: al.edges, ops: al.ops, cursor: store.replay ? h.get('step', n - 1) : undefined,
  };
  return { height: (w) => trajectoriesHeight(measureStub, w, al.numEdges, al.ops), draw: (p) => drawTrajectories(p, d) };
}

/** Text widths for height estimates before a painter exists. */
const measureStub = { measure: (s: string, size = 11) => s.length * size * 0.56 };

export function cellLabel(store: ChartStore, l: number): string {
  const c = store.race!.cells[l];
  return store.race!.alphas.length > 1 ? `cell ${c.cellIndex} ${c.type === 'reduce' ? 'red.' : 'norm.'}` : `cell ${c.cellIndex}`;
}

export function votesSpec(store: ChartStore, run: number, pass: 'Train' | 'Valid' = 'Valid'): ChartSpec | null {
  const race = store.race, row = store.rowOf(run);
  if (!race || row < 0) return null;
  const h = store.runs[run].history;
  const al = race.alphas[0];
  const d = {
    votes: h.vector('votes', row), gradNorms: h.vector(pass === 'Train' ? 'gradTrain' : 'gradValid', row),
    cellLabels: race.cells.map((_, l) => cellLabel(store, l)), edgeLabels: al.edges, ops: al.ops,
  };
  return { height: (w) => votesHeight(w, race.cells.length, al.numEdges, al.ops.length), draw: (p) => drawVotes(p, d) };
}

export function matrixSpec(store: ChartStore, run: number, pass: 'Train' | 'Valid'): ChartSpec | null {
  const race = store.race, row = store.rowOf(run);
  if (!race || row < 0) return null;
  const labels = race.cells.map((c) => (c.regularized ? String(c.cellIndex) : null)).filter((x): x is string => x !== null);
  const values = store.runs[run].history.vector(pass === 'Train' ? 'cosTrain' : 'cosValid', row);
  return { height: (w) => matrixHeight(w, labels.length), draw: (p) => drawMatrix(p, { values, labels }) };
}

/** The derived cell(s) at the shown row; DARTS spaces: normal (a = 0) or reduce (a = 1). */
export function cellGraphOf(store: ChartStore, run: number, a: number): CellGraph | null {
  const race = store.race, row = store.rowOf(run);
  if (!race || row < 0) return null;
  const h = store.runs[run].history;
  const geno = h.genotype(row);
  const al = race.alphas[a];
  const K = al.ops.length;
  const p = h.vector('softmax', row).subarray(alphaOffset(store, a), alphaOffset(store, a) + al.numEdges * K);
  try {
    if (race.alphas.length === 1) {
      const ops = parseNb201(geno);
      return nb201Graph(ops, ops.map((op, e) => p[e * K + al.ops.indexOf(op)]), NB201_EDGES);
    }
    const g = parseDarts(geno);
    const gene = a === 0 ? g.normal : g.reduce;
    const steps = race.runs[run].config.steps;
    const edges = dartsEdges(steps);
    const weights = gene.map(([op, from], i) => {
      const to = 2 + Math.floor(i / 2);
      const e = edges.findIndex(([t, f]) => t === to && f === from);
      return e < 0 ? 1 : p[e * K + al.ops.indexOf(op)];
    });
    return dartsGraph(gene, weights, steps, a === 0 ? g.normal_concat : g.reduce_concat);
  } catch {
    return null;
  }
}

export interface MetricLine {
  key: ScalarKey;
  /** Suffix after the run label, e.g. "train". */
  label: string;
  dash?: number[];
}

/** One chart of scalar metrics for every run on the shared time axis. */
export function linesSpec(store: ChartStore, lines: MetricLine[], opts: { yDomain?: [number, number]; yLog?: boolean; height?: number; yFormat?: (v: number) => string } = {}): ChartSpec | null {
  const race = store.race;
  if (!race || store.maxRows === 0) return null;
  const series: Series[] = [];
  store.runs.forEach((r, i) => {
    const n = store.shownRows(i);
    const x = r.history.column('step', n);
    for (const l of lines) {
      series.push({ label: `${race.runs[i].label}${l.label ? ` ${l.label}` : ''}`, color: methodColor(race.runs[i].method), dash: l.dash, x, y: r.history.column(l.key, n) });
    }
  });
  const cursorRow = store.replay ? store.rowOf(0) : -1;
  const d = {
    series, xDomain: store.xDomain(), stepsPerEpoch: race.stepsPerEpoch, yDomain: opts.yDomain, yLog: opts.yLog, yFormat: opts.yFormat,
    cursor: cursorRow >= 0 ? store.runs[0].history.get('step', cursorRow) : undefined,
  };
  return { height: () => opts.height ?? 190, draw: (p) => drawLines(p, d) };
}

/** ‖gˡ‖ per cell over time for one run (one line per cell, darker = nearer the output). */
export function gradNormSpec(store: ChartStore, run: number): ChartSpec | null {
  const race = store.race, n = store.shownRows(run);
  if (!race || n <= 0) return null;
  const h = store.runs[run].history;
  const x = h.column('step', n);
  const L = race.cells.length;
  const series: Series[] = race.cells.map((_, l) => ({
    label: cellLabel(store, l), color: `hsl(${210 - (150 * l) / Math.max(L - 1, 1)}, 65%, ${62 - (30 * l) / Math.max(L - 1, 1)}%)`,
    x, y: h.vectorColumn('gradValid', l, n),
  }));
  const d = { series, xDomain: store.xDomain(), stepsPerEpoch: race.stepsPerEpoch, yLog: true };
  return { height: () => 190, draw: (p) => drawLines(p, d) };
}

/**
 * Figure 1 of the paper, one panel per run: the NB201 test accuracy (%) of the cell derived at each
 * step (left axis) and the alignment Λ (train) of the same steps (right axis, dashed), on one time axis.
 */
export function nb201Spec(store: ChartStore, run: number, table: Nb201Table | null, dataset: Nb201Dataset): ChartSpec | null {
  const race = store.race, n = store.shownRows(run);
  if (!race || !table || n <= 0) return null;
  const h = store.runs[run].history;
  const color = methodColor(race.runs[run].method);
  const x = h.column('step', n);
  const series: Series[] = [
    { label: `NB201 ${datasetLabel(dataset)} test accuracy (left)`, color, x, y: nb201Column(h, n, table, dataset) },
    { label: 'alignment Λ, train (right)', color, dash: [5, 4], width: 1.3, axis: 'right', x, y: h.column('trainCorr', n) },
  ];
  const d = {
    series, xDomain: store.xDomain(), stepsPerEpoch: race.stepsPerEpoch, yFormat: (v: number) => `${+v.toPrecision(4)}%`, yLabel: 'test accuracy',
    y2: { label: 'Λ', format: (v: number) => String(+v.toFixed(2)) },
    cursor: store.replay ? h.get('step', n - 1) : undefined,
  };
  return { height: () => 200, draw: (p) => drawLines(p, d) };
}
