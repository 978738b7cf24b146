/**
 * NAS-Bench-201 supernet (`TinyNetworkDartsV1`, fixtures README §3.1): stem conv3×3 + BN,
 * 3 stages × N search cells (C, 2C, 4C) with a ResNet reduction block between stages,
 * head BN-ReLU-GAP-linear. One α [6,5] shared by all 3N cells, all regularized.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNorm, conv, reluConvBn, type Fwd, type OpFn } from './ops';
import { nb201CellForward, registerNb201Cell, type Nb201Cell } from './nb201-cell';
import { ParamRegistry } from './params';
import type { SearchSpace } from './spaces';
import type { Supernet, MixCell } from './network';

export interface Nb201Options {
  C: number;
  N: number;
  classes: number;
  inChannels: number;
}

export function buildNb201(space: SearchSpace, o: Nb201Options): Supernet {
  const reg = new ParamRegistry();
  const stemW = reg.conv('stem.0.weight', o.C, o.inChannels, 3);
  const stemBn = reg.bn('stem.1', o.C, true);
  type Stage = { kind: 'search'; cell: Nb201Cell } | { kind: 'resnet'; fn: OpFn };
  const cells: Stage[] = [];
  const mixCells: MixCell[] = [];
  const describe: string[] = [`stem conv3×3 ${o.inChannels}→${o.C} + BN`];
  const channels = [o.C, 2 * o.C, 4 * o.C];
  let cPrev = o.C;
  for (let stage = 0; stage < 3; stage++) {
    const C = channels[stage];
    if (stage > 0) {
      const i = cells.length;
      cells.push({ kind: 'resnet', fn: resnetBlock(reg, `cells.${i}`, cPrev, C) });
      describe.push(`cells.${i}: ResNet reduction ${cPrev}→${C}, stride 2`);
    }
    for (let n = 0; n < o.N; n++) {
      const i = cells.length;
      cells.push({ kind: 'search', cell: registerNb201Cell(reg, `cells.${i}`, space.normal, C) });
      mixCells.push({ cellIndex: i, type: 'normal', alpha: 0, regularized: true });
      describe.push(`cells.${i}: search cell, C=${C}`);
    }
    cPrev = C;
  }
  const lastBn = reg.bn('lastact.0', 4 * o.C, true);
  const cls = reg.linear('classifier', o.classes, 4 * o.C);
  describe.push(`head: BN-ReLU-GAP-linear ${4 * o.C}→${o.classes}`);

  const forward = (x: tf.Tensor4D, mix: tf.Tensor2D[], f: Fwd): tf.Tensor2D => {
    let h = batchNorm(conv(x, f.w(stemW), 1, 1), stemBn, f);
    let m = 0;
    for (const cell of cells) {
      if (cell.kind === 'resnet') h = cell.fn(h, f);
      else h = nb201CellForward(cell.cell, h, mix[m++], f);
    }
    h = tf.relu(batchNorm(h, lastBn, f));
    const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
    return tf.add(tf.matMul(pooled, f.w(cls.weight) as tf.Tensor2D), f.w(cls.bias)) as tf.Tensor2D;
  };

  return {
    space,
    params: reg.params,
    buffers: reg.buffers,
    alphas: [{ name: 'arch_parameters', type: 'normal', ops: space.normal, numEdges: 6, numOps: space.normal[0].length }],
    mixCells,
    clipIncludesAlpha: true,
    describe,
    forward,
  };
}

/** ResNetBasicblock(stride 2): downsample(x) + conv_b(conv_a(x)), affine BNs. */
function resnetBlock(reg: ParamRegistry, prefix: string, cin: number, cout: number): OpFn {
  const a = reluConvBn(reg, `${prefix}.conv_a`, cin, cout, 3, 2, 1, true);
  const b = reluConvBn(reg, `${prefix}.conv_b`, cout, cout, 3, 1, 1, true);
  const ds = reg.conv(`${prefix}.downsample.1.weight`, cout, cin, 1);
  return (x, f) => tf.add(conv(tf.avgPool(x, 2, 2, 'valid'), f.w(ds), 1, 0), b(a(x, f), f)) as tf.Tensor4D;
}
