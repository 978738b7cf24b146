/**
 * DARTS-space supernet (`sota/cnn/model_search.py` Network, fixtures README §3.2): stem conv3×3
 * to stemMultiplier·C + BN; `layers` cells with reductions at layers//3 and 2·layers//3; each cell
 * reads (s0, s1), has `steps` intermediate nodes, and outputs the concat of the last `multiplier`.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNorm, conv, dartsOp, factorizedReduce, mixedSum, reluConvBn, type Fwd, type OpFn } from './ops';
import { ParamRegistry } from './params';
import { dartsEdges, type SearchSpace } from './spaces';
import type { CellType, MixCell, Supernet } from './network';

export interface DartsOptions {
  C: number;
  layers: number;
  steps: number;
  multiplier: number;
  stemMultiplier: number;
  classes: number;
  inChannels: number;
  /** Also regularize reduction cells (the official code regularizes normal cells only). */
  regularizeReduce: boolean;
}

interface CellDef {
  type: CellType;
  pre0: OpFn;
  pre1: OpFn;
  edges: { from: number; to: number; stride: number; ops: (OpFn | null)[] }[];
}

export function reductionIndices(layers: number): number[] {
  return [...new Set([Math.floor(layers / 3), Math.floor((2 * layers) / 3)])].filter((i) => i < layers);
}

export function buildDarts(space: SearchSpace, o: DartsOptions): Supernet {
  const reg = new ParamRegistry();
  const cStem = o.stemMultiplier * o.C;
  const stemW = reg.conv('stem.0.weight', cStem, o.inChannels, 3);
  const stemBn = reg.bn('stem.1', cStem, true);
  const describe = [`stem conv3×3 ${o.inChannels}→${cStem} + BN`];
  const edgeTable = dartsEdges(o.steps);
  const reductions = reductionIndices(o.layers);
  let cpp = cStem, cp = cStem, cCur = o.C;
  let reductionPrev = false;
  const cells: CellDef[] = [];
  const mixCells: MixCell[] = [];
  for (let i = 0; i < o.layers; i++) {
    const reduction = reductions.includes(i);
    if (reduction) cCur *= 2;
    const p = `cells.${i}`;
    const pre0 = reductionPrev
      ? factorizedReduce(reg, `${p}.preprocess0`, cpp, cCur, false)
      : reluConvBn(reg, `${p}.preprocess0`, cpp, cCur, 1, 1, 0, false);
    const pre1 = reluConvBn(reg, `${p}.preprocess1`, cp, cCur, 1, 1, 0, false);
    const opsOf = reduction ? space.reduce : space.normal;
    const edges = edgeTable.map(([to, from], e) => {
      const stride = reduction && from < 2 ? 2 : 1;
      return { from, to, stride, ops: opsOf[e].map((op, k) => dartsOp(reg, `${p}._ops.${e}._ops.${k}`, op, cCur, stride)) };
    });
    const type: CellType = reduction ? 'reduce' : 'normal';
    cells.push({ type, pre0, pre1, edges });
    mixCells.push({ cellIndex: i, type, alpha: reduction ? 1 : 0, regularized: !reduction || o.regularizeReduce });
    describe.push(`${p}: ${type} cell, C=${cCur}, in (${cpp}, ${cp}) → ${o.multiplier * cCur}`);
    reductionPrev = reduction;
    cpp = cp;
    cp = o.multiplier * cCur;
  }
  const cls = reg.linear('classifier', o.classes, cp);
  describe.push(`head: GAP-linear ${cp}→${o.classes}`);

  const forward = (x: tf.Tensor4D, mix: tf.Tensor2D[], f: Fwd): tf.Tensor2D => {
    const s = batchNorm(conv(x, f.w(stemW), 1, 1), stemBn, f);
    let s0 = s, s1 = s;
    cells.forEach((cell, i) => {
      const out = dartsCell(cell, s0, s1, mix[i], o.steps, o.multiplier, f);
      s0 = s1;
      s1 = out;
    });
    const pooled = tf.mean(s1, [1, 2]) as tf.Tensor2D;
    return tf.add(tf.matMul(pooled, f.w(cls.weight) as tf.Tensor2D), f.w(cls.bias)) as tf.Tensor2D;
  };

  const K = space.normal[0].length;
  return {
    space,
    params: reg.params,
    buffers: reg.buffers,
    alphas: [
      { name: 'alphas_normal', type: 'normal', ops: space.normal, numEdges: edgeTable.length, numOps: K },
      { name: 'alphas_reduce', type: 'reduce', ops: space.reduce, numEdges: edgeTable.length, numOps: space.reduce[0].length },
    ],
    mixCells,
    clipIncludesAlpha: false,
    describe,
    forward,
  };
}

/** node_{i+2} = Σ_{j} Σ_k p[row,k]·op_k(state_j): one weighted sum (matMul) per node over all its (edge, op) outputs. */
function dartsCell(cell: CellDef, s0in: tf.Tensor4D, s1in: tf.Tensor4D, p: tf.Tensor2D, steps: number, multiplier: number, f: Fwd): tf.Tensor4D {
  const states = [cell.pre0(s0in, f), cell.pre1(s1in, f)];
  const K = p.shape[1];
  const pFlat = tf.reshape(p, [-1]) as tf.Tensor1D;
  const [n, h, w, c] = states[1].shape;
  const outShape: [number, number, number, number] = cell.type === 'reduce' ? [n, h / 2, w / 2, c] : [n, h, w, c];
  let row = 0;
  for (let i = 0; i < steps; i++) {
    const outs: tf.Tensor4D[] = [];
    const idx: number[] = [];
    for (let j = 0; j < i + 2; j++, row++) {
      cell.edges[row].ops.forEach((op, k) => {
        if (!op) return;
        outs.push(op(states[j], f));
        idx.push(row * K + k);
      });
    }
    states.push(outs.length === 0 ? tf.zeros(outShape) : mixedSum(outs, tf.gather(pFlat, idx) as tf.Tensor1D));
  }
  return tf.concat(states.slice(-multiplier), 3) as tf.Tensor4D;
}
