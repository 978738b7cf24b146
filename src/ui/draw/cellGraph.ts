/**
 * The derived cell as a graph with a fixed layout (nodes never move between frames): edges in their
 * op's colour, width by the op's weight p, 'none' edges faint and dashed.
 * NB201: 4 nodes on a line (0 = input, 3 = output), 6 edges. DARTS: inputs c_{k−2}, c_{k−1} at the
 * left, the intermediate nodes on a line, the output (concat) at the right.
 */
import { INK, MUTED, opColor } from './colors';
import type { Painter } from './painter';

export interface GraphNode {
  label: string;
  /** Position in [0, 1]². */
  x: number;
  y: number;
  kind: 'input' | 'inner' | 'output';
}

export interface GraphEdge {
  from: number;
  to: number;
  op: string;
  /** Weight of the chosen op, in [0, 1]. */
  weight: number;
  /** Curve height as a fraction of the box height (sign: up < 0 < down). */
  bend: number;
  /** Explicit control point of the curve in [0, 1]² (overrides bend). */
  ctrl?: [number, number];
  /** Label position along the curve and offset in px (default: the graph's labelAt, 0). */
  label?: { t: number; dy: number };
}

export interface CellGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Plain connectors (e.g. DARTS concat into the output), drawn thin and grey. */
  links?: [number, number][];
  /** Where along each edge its label sits (0 source … 1 target). */
  labelAt: number;
}

export const SHORT_OP: Record<string, string> = {
  none: 'none', skip_connect: 'skip', nor_conv_1x1: 'conv 1×1', nor_conv_3x3: 'conv 3×3', avg_pool_3x3: 'avg pool',
  max_pool_3x3: 'max pool', sep_conv_3x3: 'sep 3×3', sep_conv_5x5: 'sep 5×5', dil_conv_3x3: 'dil 3×3', dil_conv_5x5: 'dil 5×5', noise: 'noise',
};

const NB201_BEND: Record<string, number> = { '0-1': 0, '1-2': 0, '2-3': 0, '0-2': -0.32, '1-3': -0.32, '0-3': 0.42 };

/** NB201 edges [to, from] in α row order; `weights[e]` = p of `ops[e]` on edge e. */
export function nb201Graph(ops: string[], weights: number[], edges: [number, number][]): CellGraph {
  const nodes: GraphNode[] = [0, 1, 2, 3].map((i) => ({ label: i === 0 ? 'in' : i === 3 ? 'out' : String(i), x: 0.06 + (0.88 * i) / 3, y: 0.5, kind: i === 0 ? 'input' : i === 3 ? 'output' : 'inner' }));
  return { nodes, edges: edges.map(([to, from], e) => ({ from, to, op: ops[e], weight: weights[e], bend: NB201_BEND[`${from}-${to}`] ?? 0 })), labelAt: 0.5 };
}

/** DARTS gene [(op, input)…], two per intermediate node; `weights[i]` = p of gene i's op on its edge. */
export function dartsGraph(gene: [string, number][], weights: number[], steps: number, concat: number[]): CellGraph {
  // inputs at the left corners, intermediate nodes on a line; edges from c₋₂ hook in from above,
  // from c₋₁ from below, between nodes straight or arcing (alternating sides)
  const nodes: GraphNode[] = [
    { label: 'c₋₂', x: 0.05, y: 0.1, kind: 'input' },
    { label: 'c₋₁', x: 0.05, y: 0.9, kind: 'input' },
  ];
  for (let s = 0; s < steps; s++) nodes.push({ label: String(s), x: 0.27 + (0.52 * s) / Math.max(steps - 1, 1), y: 0.5, kind: 'inner' });
  const out = nodes.push({ label: 'out', x: 0.95, y: 0.5, kind: 'output' }) - 1;
  const edges: GraphEdge[] = gene.map(([op, from], i) => {
    const to = 2 + Math.floor(i / 2);
    const t = nodes[to];
    let ctrl: [number, number];
    if (from === 0) ctrl = [t.x, 0.1];
    else if (from === 1) ctrl = [t.x, 0.9];
    else {
      const gap = to - from, f = nodes[from];
      ctrl = [(f.x + t.x) / 2, gap === 1 ? 0.5 : 0.5 + (gap % 2 ? 1 : -1) * 0.3];
      if (gap === 1) return { from, to, op, weight: weights[i] ?? 1, bend: 0, ctrl, label: { t: 0.5, dy: -11 } };
    }
    return { from, to, op, weight: weights[i] ?? 1, bend: 0, ctrl };
  });
  return { nodes, edges, links: concat.map((c) => [c, out] as [number, number]), labelAt: 0.7 };
}

const R = 13;

/** Height for a width: NB201's line of nodes is flatter than a DARTS cell. */
export function graphHeight(g: CellGraph, width: number): number {
  return Math.round(g.labelAt === 0.5 ? Math.max(150, Math.min(210, width * 0.4)) : Math.max(200, Math.min(250, width * 0.55)));
}

export function drawCellGraph(p: Painter, g: CellGraph, title?: string): void {
  const top = title ? 18 : 0;
  if (title) p.text(title, 0, 12, { size: 12, weight: 'bold', fill: INK });
  const W = p.width, H = p.height - top;
  const pos = g.nodes.map((n) => [n.x * W, top + n.y * H] as const);
  for (const [a, b] of g.links ?? []) {
    const [x1, y1] = pos[a], [x2, y2] = pos[b];
    p.path(`M${x1} ${y1} Q${(x1 + x2) / 2} ${(y1 + y2) / 2 + (x2 - x1) * 0.22} ${x2} ${y2}`, '#ced4da', 1, null, [2, 3]);
  }
  const labels: [string, number, number, string][] = [];
  for (const e of g.edges) {
    const [x1, y1] = pos[e.from], [x2, y2] = pos[e.to];
    const [mx, my] = e.ctrl ? [e.ctrl[0] * W, top + e.ctrl[1] * H] : [(x1 + x2) / 2, (y1 + y2) / 2 + e.bend * H * 2];
    const none = e.op === 'none';
    const color = none ? '#adb5bd' : opColor(e.op);
    const w = none ? 1 : 1.2 + 5 * Math.max(0, Math.min(1, e.weight));
    p.path(`M${x1} ${y1} Q${mx} ${my} ${x2} ${y2}`, color, w, null, none ? [4, 4] : []);
    // arrowhead at the target, along the curve's last tangent
    const tx = x2 - mx, ty = y2 - my, tl = Math.hypot(tx, ty) || 1;
    const ux = tx / tl, uy = ty / tl, ax = x2 - ux * (R + 1), ay = y2 - uy * (R + 1), s = 4 + w;
    p.polygon([ax, ay, ax - ux * s - uy * s * 0.6, ay - uy * s + ux * s * 0.6, ax - ux * s + uy * s * 0.6, ay - uy * s - ux * s * 0.6], color);
    const t = e.label?.t ?? g.labelAt, u = 1 - t; // point of the quadratic curve at t
    labels.push([`${SHORT_OP[e.op] ?? e.op} ${e.weight.toFixed(2)}`, u * u * x1 + 2 * u * t * mx + t * t * x2, u * u * y1 + 2 * u * t * my + t * t * y2 + (e.label?.dy ?? 0), color]);
  }
  for (const [s, x, y, color] of labels) {
    const w = p.measure(s, 10) + 6;
    p.rect(x - w / 2, y - 7, w, 14, 'rgba(255,255,255,0.85)');
    p.text(s, x, y, { size: 10, align: 'center', baseline: 'middle', fill: color === '#adb5bd' ? MUTED : color, weight: 'bold' });
  }
  g.nodes.forEach((n, i) => {
    const [x, y] = pos[i];
    p.circle(x, y, R, n.kind === 'inner' ? '#fff' : '#e9ecef', INK, 1.5);
    p.text(n.label, x, y, { size: 11, align: 'center', baseline: 'middle', fill: INK, weight: 'bold' });
  });
}
