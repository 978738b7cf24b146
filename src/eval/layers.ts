/**
 * Layers of the discrete (evaluation) networks, with a mode-aware BatchNorm: training mode uses
 * batch statistics and reports them for the running-stat update; eval mode uses the running
 * statistics (PyTorch `model.eval()`). Convolutions, pools and the zero-inserted dilated kernels
 * are the core's primitives (src/core/ops.ts), so padding and count_include_pad=False match the
 * official ops. Every BN here is affine (NB201 InferCell, DARTS NetworkCIFAR).
 */
import * as tf from '@tensorflow/tfjs';
import { avgPool3, batchNorm, BN_EPS, conv, depthwise, maxPool3, type BnStat } from '../core/ops';
import type { BnRef, ParamRegistry } from '../core/params';
import type { Rng } from '../core/rng';

/** Per-pass context. */
export interface Ctx {
  training: boolean;
  w(name: string): tf.Tensor;
  /** Running [mean, var] of a BN (eval mode). */
  running(name: string): [tf.Tensor, tf.Tensor];
  /** Training mode: BN batch statistics are pushed here (kept tensors). */
  stats?: BnStat[];
  /** Drop-path probability (training mode only; DARTS). */
  dropProb: number;
  /** Drop-path masks and noise-op seeds. */
  rng: Rng;
}

export type Layer = (x: tf.Tensor4D, c: Ctx) => tf.Tensor4D;

/**
 * BatchNorm2d(affine=True): in training the core's train-mode BN (batch statistics, its fused
 * kernels where registered, statistics pushed to `c.stats`); in eval the running statistics.
 */
export function bn(x: tf.Tensor4D, ref: BnRef, c: Ctx): tf.Tensor4D {
  if (c.training) return batchNorm(x, ref, { w: (n) => c.w(n), stats: c.stats, noiseSeed: 0, noiseCount: 0 });
  const [m, v] = c.running(ref.name);
  const y = tf.mul(tf.sub(x, m), tf.rsqrt(tf.add(v, BN_EPS))) as tf.Tensor4D;
  return ref.weight ? (tf.add(tf.mul(y, c.w(ref.weight)), c.w(ref.bias!)) as tf.Tensor4D) : y;
}

/** ReLU → Conv(k, stride, pad, no bias) → BN. */
export function reluConvBn(reg: ParamRegistry, prefix: string, cin: number, cout: number, k: number, stride: number, pad: number): Layer {
  const w = reg.conv(`${prefix}.op.1.weight`, cout, cin, k);
  const b = reg.bn(`${prefix}.op.2`, cout, true);
  return (x, c) => bn(conv(tf.relu(x), c.w(w), stride, pad), b, c);
}

/** DARTS SepConv: (ReLU, dw k×k stride s, pw, BN) then (ReLU, dw k×k, pw, BN). */
export function sepConv(reg: ParamRegistry, prefix: string, C: number, k: number, stride: number, pad: number): Layer {
  const dw1 = reg.depthwise(`${prefix}.op.1.weight`, C, k);
  const pw1 = reg.conv(`${prefix}.op.2.weight`, C, C, 1);
  const b1 = reg.bn(`${prefix}.op.3`, C, true);
  const dw2 = reg.depthwise(`${prefix}.op.5.weight`, C, k);
  const pw2 = reg.conv(`${prefix}.op.6.weight`, C, C, 1);
  const b2 = reg.bn(`${prefix}.op.7`, C, true);
  return (x, c) => {
    const y = bn(conv(depthwise(tf.relu(x), c.w(dw1), stride, pad, 1), c.w(pw1), 1, 0), b1, c);
    return bn(conv(depthwise(tf.relu(y), c.w(dw2), 1, pad, 1), c.w(pw2), 1, 0), b2, c);
  };
}

/** DARTS DilConv: ReLU, dw k×k dilation d stride s, pw, BN. */
export function dilConv(reg: ParamRegistry, prefix: string, C: number, k: number, stride: number, pad: number, d: number): Layer {
  const dw = reg.depthwise(`${prefix}.op.1.weight`, C, k);
  const pw = reg.conv(`${prefix}.op.2.weight`, C, C, 1);
  const b = reg.bn(`${prefix}.op.3`, C, true);
  return (x, c) => bn(conv(depthwise(tf.relu(x), c.w(dw), stride, pad, d), c.w(pw), 1, 0), b, c);
}

/** FactorizedReduce: ReLU, two 1×1 stride-2 convs (even grid, odd grid), concat, BN. */
export function factorizedReduce(reg: ParamRegistry, prefix: string, cin: number, cout: number): Layer {
  const c1 = reg.conv(`${prefix}.conv_1.weight`, cout / 2, cin, 1);
  const c2 = reg.conv(`${prefix}.conv_2.weight`, cout / 2, cin, 1);
  const b = reg.bn(`${prefix}.bn`, cout, true);
  return (x, c) => {
    const r = tf.relu(x);
    const [n, h, w, ch] = r.shape;
    const shifted = tf.slice(r, [0, 1, 1, 0], [n, h - 1, w - 1, ch]);
    return bn(tf.concat([conv(r, c.w(c1), 2, 0), conv(shifted, c.w(c2), 2, 0)], 3) as tf.Tensor4D, b, c);
  };
}

/** Noise op (RobustDARTS S4): fresh N(0,1) of the (strided) input's shape. */
export function noise(stride: number): Layer {
  return (x, c) => {
    const [n, h, w, ch] = x.shape;
    return tf.randomNormal([n, Math.ceil(h / stride), Math.ceil(w / stride), ch], 0, 1, 'float32', c.rng.seed()) as tf.Tensor4D;
  };
}

/** An evaluation-network DARTS op (operations.py OPS with affine=True; pools carry no BN here). Null = 'none'. */
export function dartsEvalOp(reg: ParamRegistry, prefix: string, op: string, C: number, stride: number): Layer | null {
  switch (op) {
    case 'none':
      return null;
    case 'avg_pool_3x3':
      return (x) => avgPool3(x, stride);
    case 'max_pool_3x3':
      return (x) => maxPool3(x, stride);
    case 'skip_connect':
      return stride === 1 ? (x) => x : factorizedReduce(reg, prefix, C, C);
    case 'sep_conv_3x3':
      return sepConv(reg, prefix, C, 3, stride, 1);
    case 'sep_conv_5x5':
      return sepConv(reg, prefix, C, 5, stride, 2);
    case 'dil_conv_3x3':
      return dilConv(reg, prefix, C, 3, stride, 2, 2);
    case 'dil_conv_5x5':
      return dilConv(reg, prefix, C, 5, stride, 4, 2);
    case 'noise':
      return noise(stride);
    default:
      throw new Error(`op '${op}' is not a DARTS-space op`);
  }
}

/** drop_path: per sample, zero with probability p, else scale by 1/(1−p); masks from the run's Rng. */
export function dropPath(x: tf.Tensor4D, c: Ctx): tf.Tensor4D {
  const p = c.dropProb;
  if (!c.training || p <= 0) return x;
  const n = x.shape[0];
  const mask = new Float32Array(n);
  for (let i = 0; i < n; i++) mask[i] = c.rng.uniform() < 1 - p ? 1 / (1 - p) : 0;
  return tf.mul(x, tf.tensor4d(mask, [n, 1, 1, 1]));
}
