/**
 * The NAS-Bench-201 search cell (SearchCell): node_i = Σ_{j<i} Σ_k p[row(i←j),k]·op_k(node_j),
 * output node 3. Computed per source node, exactly (ALGORITHM.md §8): ReLU once, the same-kind
 * convolutions of all edges leaving the node as one convolution with concatenated output
 * channels, one BN over them (per-channel batch statistics are unchanged), the pool once; then
 * each node is one weighted sum (matMul) over all its incoming (edge, op) outputs.
 */
import * as tf from '@tensorflow/tfjs';
import { avgPool3, batchNorm, conv, mixedSum, type Fwd } from './ops';
import type { BnRef, ParamRegistry } from './params';
import { NB201_EDGES, type OpName } from './spaces';

interface ConvOp {
  w: string;
  bn: BnRef;
  k: 1 | 3;
}

interface EdgeDef {
  from: number;
  to: number;
  ops: OpName[];
  convs: (ConvOp | null)[];
}

export interface Nb201Cell {
  C: number;
  edges: EdgeDef[];
}

const ALLOWED = new Set<OpName>(['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3']);

/** Registers a cell's tensors in the official order (edge by edge, op by op). */
export function registerNb201Cell(reg: ParamRegistry, prefix: string, ops: OpName[][], C: number): Nb201Cell {
  const edges = NB201_EDGES.map(([to, from], e) => {
    const convs = ops[e].map((op, k): ConvOp | null => {
      if (!ALLOWED.has(op)) throw new Error(`op '${op}' is not part of the NAS-Bench-201 space`);
      if (op !== 'nor_conv_1x1' && op !== 'nor_conv_3x3') return null;
      const ks = op === 'nor_conv_1x1' ? 1 : 3;
      const p = `${prefix}.edges.${to}<-${from}.${k}`;
      return { w: reg.conv(`${p}.op.1.weight`, C, C, ks), bn: reg.bn(`${p}.op.2`, C, false), k: ks };
    });
    return { from, to, ops: ops[e], convs };
  });
  return { C, edges };
}

/** Every op output of the edges leaving node j, keyed by `row*K + k`. */
function sourceOutputs(cell: Nb201Cell, j: number, xj: tf.Tensor4D, K: number, f: Fwd): Map<number, tf.Tensor4D> {
  const out = new Map<number, tf.Tensor4D>();
  let r: tf.Tensor4D | null = null;
  let pool: tf.Tensor4D | null = null;
  for (const ks of [1, 3] as const) {
    const items: { key: number; c: ConvOp }[] = [];
    cell.edges.forEach((e, row) => {
      if (e.from !== j) return;
      e.convs.forEach((c, k) => c && c.k === ks && items.push({ key: row * K + k, c }));
    });
    if (items.length === 0) continue;
    r ??= tf.relu(xj);
    const W = items.length === 1 ? f.w(items[0].c.w) : tf.concat(items.map((it) => f.w(it.c.w)), 3);
    const y = batchNorm(conv(r, W, 1, (ks - 1) / 2), items.map((it) => it.c.bn), f);
    const parts = items.length === 1 ? [y] : (tf.split(y, items.length, 3) as tf.Tensor4D[]);
    items.forEach((it, i) => out.set(it.key, parts[i]));
  }
  cell.edges.forEach((e, row) => {
    if (e.from !== j) return;
    e.ops.forEach((op, k) => {
      if (op === 'skip_connect') out.set(row * K + k, xj);
      else if (op === 'avg_pool_3x3') out.set(row * K + k, (pool ??= avgPool3(xj, 1))); // no BN (C_in == C_out)
    });
  });
  return out;
}

export function nb201CellForward(cell: Nb201Cell, x: tf.Tensor4D, p: tf.Tensor2D, f: Fwd): tf.Tensor4D {
  const K = p.shape[1];
  const nodes: tf.Tensor4D[] = [x];
  const cache = new Map<number, Map<number, tf.Tensor4D>>();
  const pFlat = tf.reshape(p, [-1]) as tf.Tensor1D;
  for (let i = 1; i < 4; i++) {
    const outs: tf.Tensor4D[] = [];
    const idx: number[] = [];
    cell.edges.forEach((e, row) => {
      if (e.to !== i) return;
      if (!cache.has(e.from)) cache.set(e.from, sourceOutputs(cell, e.from, nodes[e.from], K, f));
      const src = cache.get(e.from)!;
      for (let k = 0; k < K; k++) {
        const t = src.get(row * K + k);
        if (t) {
          outs.push(t);
          idx.push(row * K + k);
        }
      }
    });
    nodes.push(outs.length === 0 ? tf.zerosLike(x) : mixedSum(outs, tf.gather(pFlat, idx) as tf.Tensor1D));
  }
  return nodes[3];
}
