/**
 * NAS-Bench-201 evaluation network (`TinyNetwork` with `InferCell`): stem conv3×3 + BN,
 * 3 stages of N cells at C, 2C, 4C with a ResNet basic block (stride 2) between stages, head
 * BN-ReLU-GAP-linear. Every edge applies exactly its one op ('none' edges add nothing); all BNs
 * are affine. At C=16, N=5, 10 classes this has 73,306 parameters for parameter-free cells and
 * 1,531,546 for all-nor_conv_3x3 cells, NB201's minimum and maximum.
 */
import * as tf from '@tensorflow/tfjs';
import { avgPool3, conv } from '../core/ops';
import type { Nb201Genotype } from '../core/genotype';
import { ParamRegistry } from '../core/params';
import { NB201_EDGES } from '../core/spaces';
import type { DiscreteNet } from './discrete';
import { bn, reluConvBn, type Layer } from './layers';

export interface Nb201NetOptions {
  C: number;
  N: number;
  classes: number;
  inChannels: number;
}

export function buildNb201Net(ops: Nb201Genotype, o: Nb201NetOptions): DiscreteNet {
  const reg = new ParamRegistry();
  const stemW = reg.conv('stem.0.weight', o.C, o.inChannels, 3);
  const stemBn = reg.bn('stem.1', o.C, true);
  const describe = [`stem conv3×3 ${o.inChannels}→${o.C} + BN`];
  const cells: Layer[] = [];
  let cPrev = o.C;
  for (let stage = 0; stage < 3; stage++) {
    const C = o.C << stage;
    if (stage > 0) {
      describe.push(`cells.${cells.length}: ResNet block ${cPrev}→${C}, stride 2`);
      cells.push(resnetBlock(reg, `cells.${cells.length}`, cPrev, C));
    }
    for (let n = 0; n < o.N; n++) {
      describe.push(`cells.${cells.length}: cell, C=${C}`);
      cells.push(inferCell(reg, `cells.${cells.length}`, ops, C));
    }
    cPrev = C;
  }
  const lastBn = reg.bn('lastact.0', cPrev, true);
  const cls = reg.linear('classifier', o.classes, cPrev);
  describe.push(`head: BN-ReLU-GAP-linear ${cPrev}→${o.classes}`);
  return {
    kind: 'nb201', params: reg.params, buffers: reg.buffers, hasAux: false, describe,
    forward(x, c) {
      let h = bn(conv(x, c.w(stemW), 1, 1), stemBn, c);
      for (const cell of cells) h = cell(h, c);
      h = tf.relu(bn(h, lastBn, c));
      const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
      return { logits: tf.add(tf.matMul(pooled, c.w(cls.weight) as tf.Tensor2D), c.w(cls.bias)) as tf.Tensor2D, aux: null };
    },
  };
}

/** InferCell: node k = Σ_{j<k} op_{k←j}(node j); output node 3. Module index = edge index. */
function inferCell(reg: ParamRegistry, prefix: string, ops: Nb201Genotype, C: number): Layer {
  const fns = ops.map((op, e): Layer | null => {
    const p = `${prefix}.layers.${e}`;
    switch (op) {
      case 'none':
        return null;
      case 'skip_connect':
        return (x) => x;
      case 'nor_conv_1x1':
        return reluConvBn(reg, p, C, C, 1, 1, 0);
      case 'nor_conv_3x3':
        return reluConvBn(reg, p, C, C, 3, 1, 1);
      case 'avg_pool_3x3':
        return (x) => avgPool3(x, 1);
      default:
        throw new Error(`op '${op}' is not a NAS-Bench-201 op`);
    }
  });
  return (x, c) => {
    const nodes = [x];
    for (let k = 1; k < 4; k++) {
      const terms: tf.Tensor4D[] = [];
      NB201_EDGES.forEach(([to, from], e) => {
        const f = fns[e];
        if (to === k && f) terms.push(f(nodes[from], c));
      });
      nodes.push(terms.length === 0 ? tf.zerosLike(x) : terms.length === 1 ? terms[0] : (tf.addN(terms) as tf.Tensor4D));
    }
    return nodes[3];
  };
}

/** ResNetBasicblock(stride 2): AvgPool2d(2)+conv1×1 shortcut + conv_b(conv_a(x)), affine BNs. */
function resnetBlock(reg: ParamRegistry, prefix: string, cin: number, cout: number): Layer {
  const a = reluConvBn(reg, `${prefix}.conv_a`, cin, cout, 3, 2, 1);
  const b = reluConvBn(reg, `${prefix}.conv_b`, cout, cout, 3, 1, 1);
  const ds = reg.conv(`${prefix}.downsample.1.weight`, cout, cin, 1);
  return (x, c) => tf.add(conv(tf.avgPool(x, 2, 2, 'valid'), c.w(ds), 1, 0), b(a(x, c), c)) as tf.Tensor4D;
}
