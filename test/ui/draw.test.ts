/** Draw functions on the SVG painter (no DOM): what they put on the page, from the same code as the canvas. */
import { describe, expect, it } from 'vitest';
import { dartsGraph, drawCellGraph, graphHeight, nb201Graph } from '../../src/ui/draw/cellGraph';
import { divergingColor, opColor, textOn } from '../../src/ui/draw/colors';
import { drawHeatmap, heatmapHeight } from '../../src/ui/draw/heatmap';
import { decimate, drawLines, yTicks } from '../../src/ui/draw/lines';
import { drawMatrix } from '../../src/ui/draw/matrix';
import { SvgPainter } from '../../src/ui/draw/painter';
import { drawTrajectories, trajectoriesHeight } from '../../src/ui/draw/trajectories';
import { drawVotes, votesHeight } from '../../src/ui/draw/votes';
import { NB201_EDGES, NB201_OPS } from '../../src/core/spaces';

const count = (svg: string, tag: string) => (svg.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length;
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('draw functions (SVG painter)', () => {
  it('heatmap: one cell per edge and op, argmax outlined, labels', () => {
    const values = Float32Array.from({ length: 30 }, (_, i) => (i % 5 === 1 ? 0.6 : 0.1));
    const p = new SvgPainter(500, heatmapHeight(6), 'softmax');
    drawHeatmap(p, { values, rowLabels: ['0→1', '0→2', '1→2', '0→3', '1→3', '2→3'], colLabels: NB201_OPS });
    const svg = p.toString();
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title>softmax</title>');
    expect((svg.match(/stroke="#d9480f"/g) ?? []).length).toBe(6); // one argmax box per edge
    expect(texts(svg)).toContain('skip_connect');
    expect(texts(svg).filter((t) => t === '0.600')).toHaveLength(6);
  });

  it('line chart: series, legend, axis in epochs, min/max decimation', () => {
    const n = 5000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 50));
    const p = new SvgPainter(400, 200);
    drawLines(p, { series: [{ label: 'DARTS train', color: '#c00', x, y }, { label: 'Λ-DARTS train', color: '#00c', x, y, dash: [4, 4] }], xDomain: [0, n], stepsPerEpoch: 500 });
    const svg = p.toString();
    expect(texts(svg)).toEqual(expect.arrayContaining(['DARTS train', 'Λ-DARTS train', 'epoch', '0', '10']));
    const line = svg.match(/<polyline points="([^"]*)" fill="none" stroke="#c00"/)![1].split(' ');
    expect(line.length / 2).toBeLessThanOrEqual(2 * 400);
    expect(svg).toContain('stroke-dasharray="4 4"');
    const dec = decimate([0, 0.2, 0.4, 1, 2], [1, 5, 3, NaN, 2], (v) => v, (v) => v);
    expect(dec).toEqual([0, 1, 0.2, 5, NaN, NaN, 2, 2]); // min and max of pixel column 0, a break, column 2
    expect(yTicks([0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1], true)).toEqual([0.001, 0.01, 0.1]);
  });

  it('correlation matrix: L×L cells on the diverging scale, values printed', () => {
    const p = new SvgPainter(300, 200);
    drawMatrix(p, { values: [1, -0.5, -0.5, 1], labels: ['0', '2'] });
    const svg = p.toString();
    expect(texts(svg)).toEqual(expect.arrayContaining(['1.00', '-0.50', '+1', '−1']));
    expect(svg).toContain(`fill="${divergingColor(-0.5)}"`);
    expect(divergingColor(1)).not.toBe(divergingColor(-1));
  });

  it('per-layer votes: a row per cell, a square per edge and op', () => {
    const L = 3, E = 6, K = 5;
    const votes = Float32Array.from({ length: L * E * K }, (_, i) => Math.sin(i));
    const w = 480, h = votesHeight(w, L, E, K);
    const p = new SvgPainter(w, h);
    drawVotes(p, { votes, gradNorms: [3, 2, 1], cellLabels: ['cell 0', 'cell 2', 'cell 4'], edgeLabels: NB201_EDGES.map(([t, f]) => `${f}→${t}`), ops: NB201_OPS });
    const svg = p.toString();
    expect(count(svg, 'rect')).toBeGreaterThanOrEqual(L * E * K + L + E * K);
    expect(texts(svg)).toEqual(expect.arrayContaining(['cell 0', 'cell 4', '0→1', '2→3']));
  });

  it('trajectories: a panel per edge, a line per op in its colour', () => {
    const n = 20, A = 30;
    const rows = Float32Array.from({ length: n * A }, (_, i) => ((i % 5) + 1) / 15);
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const p = new SvgPainter(420, trajectoriesHeight({ measure: (s: string) => s.length * 6 }, 420, 6, NB201_OPS));
    drawTrajectories(p, { rows, stride: A, offset: 0, x, n, xDomain: [0, n], edgeLabels: ['a', 'b', 'c', 'd', 'e', 'f'], ops: NB201_OPS });
    const svg = p.toString();
    expect((svg.match(new RegExp(`stroke="${opColor('skip_connect')}"`, 'g')) ?? []).length).toBeGreaterThanOrEqual(6);
  });

  it('cell graphs: stable NB201 and DARTS layouts, op colours, none dashed', () => {
    const ops = ['skip_connect', 'nor_conv_3x3', 'none', 'avg_pool_3x3', 'skip_connect', 'nor_conv_1x1'];
    const g = nb201Graph(ops, [0.5, 0.4, 0.3, 0.2, 0.6, 0.7], NB201_EDGES);
    expect(g.nodes.map((n) => n.label)).toEqual(['in', '1', '2', 'out']);
    expect(nb201Graph(ops.slice().reverse(), [1, 1, 1, 1, 1, 1], NB201_EDGES).nodes).toEqual(g.nodes);
    const p = new SvgPainter(400, graphHeight(g, 400));
    drawCellGraph(p, g);
    const svg = p.toString();
    expect(count(svg, 'circle')).toBe(4);
    expect(count(svg, 'path')).toBe(6);
    expect(svg).toContain(`stroke="${opColor('skip_connect')}"`);
    expect(svg).toContain('stroke-dasharray="4 4"');
    expect(texts(svg)).toContain('skip 0.50');
    const d = dartsGraph([['sep_conv_3x3', 0], ['skip_connect', 1], ['skip_connect', 0], ['sep_conv_3x3', 2], ['dil_conv_3x3', 1], ['skip_connect', 3], ['max_pool_3x3', 0], ['skip_connect', 4]], [], 4, [2, 3, 4, 5]);
    expect(d.nodes).toHaveLength(7);
    expect(d.edges.map((e) => e.to)).toEqual([2, 2, 3, 3, 4, 4, 5, 5]);
    expect(d.links).toHaveLength(4);
    const q = new SvgPainter(420, graphHeight(d, 420));
    drawCellGraph(q, d, 'Normal cell');
    expect(count(q.toString(), 'circle')).toBe(7);
  });

  it('colours: one per op, skip in the warning colour, readable text', () => {
    expect(opColor('skip_connect')).toBe('#e8590c');
    expect(new Set(['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3', 'max_pool_3x3', 'sep_conv_3x3', 'sep_conv_5x5', 'dil_conv_3x3', 'dil_conv_5x5', 'noise'].map(opColor)).size).toBe(11);
    expect(textOn('#ffffff')).not.toBe('#fff');
    expect(textOn('rgb(8, 29, 88)')).toBe('#fff');
  });
});
