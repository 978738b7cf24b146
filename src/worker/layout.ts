/**
 * What a configuration's supernet looks like to the charts, without building it (no tf): α tensors
 * with their ops and edge labels, the cells that read mixing weights, and the history's row widths.
 * The worker sends the same from the real supernet; the page uses this for imported run logs.
 */
import type { RunConfig } from '../core/config';
import type { Supernet } from '../core/network';
import { dartsEdges, makeSpace, NB201_EDGES, type OpName } from '../core/spaces';
import type { HistoryWidths } from './history';
import type { AlphaInfo, CellInfo } from './protocol';

/** "from→to" per α row. */
export function edgeLabels(cfg: Pick<RunConfig, 'space' | 'steps'>, numEdges: number): string[] {
  const edges = cfg.space === 'nb201' ? NB201_EDGES : dartsEdges(cfg.steps);
  return Array.from({ length: numEdges }, (_, e) => (edges[e] ? `${edges[e][1]}→${edges[e][0]}` : `e${e}`));
}

/** Per-row widths of the history's vector metrics for a supernet. */
export function widthsOf(net: Pick<Supernet, 'alphas' | 'mixCells'>): HistoryWidths {
  const softmax = net.alphas.reduce((a, x) => a + x.numEdges * x.numOps, 0);
  const nMix = net.mixCells.length;
  const ek = net.alphas[0].numEdges * net.alphas[0].numOps;
  const lr = net.mixCells.filter((c) => c.regularized).length;
  return { softmax, gradTrain: nMix, gradValid: nMix, votes: nMix * ek, cosTrain: lr * lr, cosValid: lr * lr };
}

/** The α tensors of a config (ops of the first edge; `ops` overrides every edge). */
export function alphasOf(cfg: Pick<RunConfig, 'space' | 'steps' | 'ops'>): AlphaInfo[] {
  const space = makeSpace(cfg.space, cfg.steps);
  const custom = cfg.ops.split(',').map((o) => o.trim()).filter(Boolean) as OpName[];
  const ops = (rows: OpName[][]) => (custom.length ? custom : rows[0]).map(String);
  const edges = edgeLabels(cfg, space.numEdges);
  if (space.macro === 'nb201') return [{ name: 'arch_parameters', numEdges: space.numEdges, ops: ops(space.normal), edges }];
  return [
    { name: 'alphas_normal', numEdges: space.numEdges, ops: ops(space.normal), edges },
    { name: 'alphas_reduce', numEdges: space.numEdges, ops: ops(space.reduce), edges },
  ];
}

/** Cells with mixing weights: NB201 3N normal cells (all regularized); DARTS `layers` cells. */
export function cellsOf(cfg: Pick<RunConfig, 'space' | 'N' | 'layers' | 'regularizeReduce'>): CellInfo[] {
  // NB201: stages of N search cells, a ResNet block (not searched) before stages 2 and 3
  if (cfg.space === 'nb201') return Array.from({ length: 3 * cfg.N }, (_, i) => ({ cellIndex: Math.floor(i / cfg.N) * (cfg.N + 1) + (i % cfg.N), type: 'normal', alpha: 0, regularized: true }));
  const red = new Set([Math.floor(cfg.layers / 3), Math.floor((2 * cfg.layers) / 3)]);
  return Array.from({ length: cfg.layers }, (_, i) => {
    const reduce = red.has(i);
    return { cellIndex: i, type: reduce ? 'reduce' : 'normal', alpha: reduce ? 1 : 0, regularized: !reduce || cfg.regularizeReduce };
  });
}
