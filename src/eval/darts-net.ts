/**
 * DARTS evaluation network (`NetworkCIFAR`, DARTS cnn/model.py) at any size: stem conv3×3 to
 * 3C + BN; `layers` cells reading (s0, s1), reductions at layers//3 and 2·layers//3 (channels
 * double); each node sums its two genes' ops (drop-path on every non-identity op in training);
 * the cell outputs the concat of its `concat` states. Optional auxiliary head after cell
 * 2·layers//3 (AuxiliaryHeadCIFAR; its pooling adapts to inputs smaller than 8×8).
 * DARTS_V2 at C=36, 20 layers, 10 classes has 3,349,342 parameters without the auxiliary head.
 */
import * as tf from '@tensorflow/tfjs';
import type { DartsGenotype } from '../core/genotype';
import { conv } from '../core/ops';
import { ParamRegistry } from '../core/params';
import type { DiscreteNet } from './discrete';
import { bn, dartsEvalOp, dropPath, factorizedReduce, reluConvBn, type Ctx, type Layer } from './layers';

export interface DartsNetOptions {
  C: number;
  layers: number;
  classes: number;
  inChannels: number;
  /** Input side (to size the auxiliary head). */
  imageSize: number;
  auxiliary: boolean;
  /** Channels of the auxiliary head's two convs (official 128, 768). */
  auxWidths?: [number, number];
  stemMultiplier?: number;
}

export function reductionLayers(layers: number): number[] {
  return [...new Set([Math.floor(layers / 3), Math.floor((2 * layers) / 3)])].filter((i) => i < layers);
}

interface CellFn {
  (s0: tf.Tensor4D, s1: tf.Tensor4D, c: Ctx): tf.Tensor4D;
}

export function buildDartsNet(g: DartsGenotype, o: DartsNetOptions): DiscreteNet {
  const reg = new ParamRegistry();
  const cStem = (o.stemMultiplier ?? 3) * o.C;
  const stemW = reg.conv('stem.0.weight', cStem, o.inChannels, 3);
  const stemBn = reg.bn('stem.1', cStem, true);
  const describe = [`stem conv3×3 ${o.inChannels}→${cStem} + BN`];
  const reductions = reductionLayers(o.layers);
  const auxAt = Math.floor((2 * o.layers) / 3);
  let cpp = cStem, cp = cStem, cCur = o.C, side = o.imageSize;
  let reductionPrev = false;
  const cells: CellFn[] = [];
  let aux: ((x: tf.Tensor4D, c: Ctx) => tf.Tensor2D) | null = null;
  for (let i = 0; i < o.layers; i++) {
    const reduction = reductions.includes(i);
    if (reduction) (cCur *= 2), (side = Math.ceil(side / 2));
    const p = `cells.${i}`;
    const pre0 = reductionPrev ? factorizedReduce(reg, `${p}.preprocess0`, cpp, cCur) : reluConvBn(reg, `${p}.preprocess0`, cpp, cCur, 1, 1, 0);
    const pre1 = reluConvBn(reg, `${p}.preprocess1`, cp, cCur, 1, 1, 0);
    const gene = reduction ? g.reduce : g.normal;
    const concat = reduction ? g.reduce_concat : g.normal_concat;
    const ops = gene.map(([op, j], k) => ({ j, fn: dartsEvalOp(reg, `${p}._ops.${k}`, op, cCur, reduction && j < 2 ? 2 : 1) }));
    cells.push(cell(pre0, pre1, ops, concat, reduction));
    describe.push(`${p}: ${reduction ? 'reduction' : 'normal'} cell, C=${cCur}, in (${cpp}, ${cp}) → ${concat.length * cCur}`);
    reductionPrev = reduction;
    cpp = cp;
    cp = concat.length * cCur;
    if (o.auxiliary && i === auxAt) {
      aux = auxHead(reg, cp, o.classes, side, o.auxWidths ?? [128, 768]);
      describe.push(`auxiliary head after ${p}: ${cp} channels at ${side}×${side}`);
    }
  }
  const cls = reg.linear('classifier', o.classes, cp);
  describe.push(`head: GAP-linear ${cp}→${o.classes}`);
  return {
    kind: 'darts', params: reg.params, buffers: reg.buffers, hasAux: aux !== null, describe,
    forward(x, c) {
      const s = bn(conv(x, c.w(stemW), 1, 1), stemBn, c);
      let s0 = s, s1 = s;
      let auxLogits: tf.Tensor2D | null = null;
      cells.forEach((fn, i) => {
        const out = fn(s0, s1, c);
        s0 = s1;
        s1 = out;
        if (aux && i === auxAt && c.training) auxLogits = aux(s1, c);
      });
      const pooled = tf.mean(s1, [1, 2]) as tf.Tensor2D;
      return { logits: tf.add(tf.matMul(pooled, c.w(cls.weight) as tf.Tensor2D), c.w(cls.bias)) as tf.Tensor2D, aux: auxLogits };
    },
  };
}

function cell(pre0: Layer, pre1: Layer, ops: { j: number; fn: Layer | null }[], concat: number[], reduction: boolean): CellFn {
  return (s0in, s1in, c) => {
    const states = [pre0(s0in, c), pre1(s1in, c)];
    for (let i = 0; i < ops.length / 2; i++) {
      const live: tf.Tensor4D[] = [];
      for (const { j, fn } of [ops[2 * i], ops[2 * i + 1]]) {
        if (!fn) continue; // 'none' adds zeros
        const h = fn(states[j], c);
        live.push(h === states[j] ? h : dropPath(h, c)); // Identity is never dropped
      }
      states.push(live.length === 2 ? tf.add(live[0], live[1]) : live.length === 1 ? live[0] : zerosLikeNode(states[1], reduction));
    }
    return tf.concat(concat.map((k) => states[k]), 3) as tf.Tensor4D;
  };
}

/** A node whose two genes are 'none': zeros of the node's shape (halved in a reduction cell). */
function zerosLikeNode(input: tf.Tensor4D, reduction: boolean): tf.Tensor4D {
  const [n, h, w, ch] = input.shape;
  return reduction ? tf.zeros([n, Math.ceil(h / 2), Math.ceil(w / 2), ch]) : tf.zerosLike(input);
}

/** AuxiliaryHeadCIFAR: ReLU, AvgPool(5, stride 3, count_include_pad=False), conv1×1→a, BN, ReLU, conv k×k→b, BN, ReLU, linear. */
function auxHead(reg: ParamRegistry, C: number, classes: number, side: number, [a, b]: [number, number]): (x: tf.Tensor4D, c: Ctx) => tf.Tensor2D {
  const pool = Math.min(5, side);
  const after = Math.floor((side - pool) / 3) + 1; // 2 at the official 8×8
  const w1 = reg.conv('auxiliary_head.features.2.weight', a, C, 1);
  const b1 = reg.bn('auxiliary_head.features.3', a, true);
  const w2 = reg.conv('auxiliary_head.features.5.weight', b, a, after);
  const b2 = reg.bn('auxiliary_head.features.6', b, true);
  const cls = reg.linear('auxiliary_head.classifier', classes, b);
  return (x, c) => {
    let h = tf.avgPool(tf.relu(x), pool, 3, 'valid') as tf.Tensor4D;
    h = tf.relu(bn(conv(h, c.w(w1), 1, 0), b1, c));
    h = tf.relu(bn(conv(h, c.w(w2), 1, 0), b2, c));
    const flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
    return tf.add(tf.matMul(flat, c.w(cls.weight) as tf.Tensor2D), c.w(cls.bias)) as tf.Tensor2D;
  };
}
