/**
 * Candidate ops with the official semantics (ALGORITHM.md §5, fixtures README §3, §5), NHWC.
 * Each builder registers its tensors under PyTorch names and returns a forward closure.
 * PyTorch pads symmetrically: numeric `pad` in tfjs is symmetric too (never 'same' at stride 2).
 */
import * as tf from '@tensorflow/tfjs';
import type { OpName } from './spaces';
import type { BnRef, ParamRegistry } from './params';
import { AVGPOOL3_BACKWARD, AVGPOOL3_FORWARD, BN_BACKWARD, BN_FORWARD, WSUM_BACKWARD, WSUM_FORWARD, WSUM_MAX_INPUTS } from './kernels/names';

/** Per-pass context: parameter lookup, BN statistics collection, noise seeds. */
export interface Fwd {
  w(name: string): tf.Tensor;
  /** When set, BN layers push their batch statistics (kept tensors) for running-stat updates. */
  stats?: BnStat[];
  /** Seed for the noise op; each call derives a new one. */
  noiseSeed: number;
  noiseCount: number;
  /** Per-pass memo of results that several edges share (ReLU of a node, pooled+BN of a node). */
  memo?: Map<string, { y: tf.Tensor4D; stats: BnStat[] }>;
}

/** ReLU(x), computed once per tensor and pass. */
export function reluOnce(x: tf.Tensor4D, f: Fwd): tf.Tensor4D {
  return shared(f, `relu:${x.id}`, null, () => tf.relu(x));
}

/**
 * `make()` once per key and pass. A BN inside `make` records statistics under the first caller's
 * name; later callers get the same statistics under their own `bnName` (same input, same stats).
 */
export function shared(f: Fwd, key: string, bnName: string | null, make: () => tf.Tensor4D): tf.Tensor4D {
  if (!f.memo) return make();
  const hit = f.memo.get(key);
  if (hit) {
    if (f.stats && bnName) for (const s of hit.stats) f.stats.push({ names: s.names.length === 1 ? [bnName] : s.names, meanVar: tf.keep(tf.clone(s.meanVar)) });
    return hit.y;
  }
  const before = f.stats?.length ?? 0;
  const y = make();
  f.memo.set(key, { y, stats: f.stats ? f.stats.slice(before) : [] });
  return y;
}

export interface BnStat {
  /** The BNs these statistics belong to, in channel order (several when fused along channels). */
  names: string[];
  /** [2, ΣC]: the batch mean; the unbiased batch variance (PyTorch's running_var update). */
  meanVar: tf.Tensor2D;
}

export type OpFn = (x: tf.Tensor4D, f: Fwd) => tf.Tensor4D;

export const BN_EPS = 1e-5;

/** The fused BN kernels are registered for the active backend. */
function fusedBnKernels(): boolean {
  const b = tf.getBackend();
  return tf.getKernel(BN_FORWARD, b) != null && tf.getKernel(BN_BACKWARD, b) != null;
}

/**
 * BatchNorm in training mode: batch statistics, biased variance (fixtures README §5), with a
 * hand-written gradient (fewer kernels than autodiff through tf.moments):
 *   dx = inv·(dy − mean(dy) − x̂·mean(dy·x̂)),  inv = 1/sqrt(var + eps).
 * Where the fused kernels are registered (CPU and WebGPU with this project's kernels), forward and
 * backward are one kernel each (kernels/cpu/batchnorm.ts, kernels/webgpu/batchnorm.ts).
 */
export function batchNorm(x: tf.Tensor4D, ref: BnRef | BnRef[], f: Fwd): tf.Tensor4D {
  const n = x.shape[0] * x.shape[1] * x.shape[2];
  const C = x.shape[3];
  let meanVar: tf.Tensor2D | null = null;
  const fused = fusedBnKernels();
  const norm = tf.customGrad(((xi: tf.Tensor, save: tf.GradSaveFunc) => {
    if (fused) {
      // one kernel each way (kernels/names.ts): stats = [mean; unbiased var; inv]
      const [xhat, stats] = tf.engine().runKernel(BN_FORWARD, { x: xi }, { eps: BN_EPS }) as tf.Tensor[];
      if (f.stats) meanVar = tf.keep(tf.slice(stats, [0, 0], [2, C])) as tf.Tensor2D;
      save([xhat, stats]);
      return {
        value: xhat,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.engine().runKernel(BN_BACKWARD, { dy, xhat: saved[0], stats: saved[1] }, {}) as tf.Tensor,
      };
    }
    const mean = tf.mean(xi, [0, 1, 2]);
    const xc = tf.sub(xi, mean);
    const variance = tf.mean(tf.square(xc), [0, 1, 2]);
    const inv = tf.rsqrt(tf.add(variance, BN_EPS));
    const xhat = tf.mul(xc, inv);
    if (f.stats) meanVar = tf.keep(tf.stack([mean, tf.mul(variance, n / Math.max(1, n - 1))])) as tf.Tensor2D;
    save([xhat, inv]);
    return {
      value: xhat,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, iv] = saved;
        const mdy = tf.mean(dy, [0, 1, 2]);
        const mdyx = tf.mean(tf.mul(dy, xh), [0, 1, 2]);
        return tf.mul(tf.sub(tf.sub(dy, mdy), tf.mul(xh, mdyx)), iv);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  let y = norm(x) as tf.Tensor4D;
  const refs = Array.isArray(ref) ? ref : [ref];
  // Several BNs fused along channels (same input batch, disjoint channels): affine=False only.
  if (refs.length === 1 && refs[0].weight) y = tf.add(tf.mul(y, f.w(refs[0].weight)), f.w(refs[0].bias!)) as tf.Tensor4D;
  if (f.stats && meanVar) f.stats.push({ names: refs.map((r) => r.name), meanVar });
  return y;
}

export function conv(x: tf.Tensor4D, w: tf.Tensor, stride: number, pad: number): tf.Tensor4D {
  return tf.conv2d(x, w as tf.Tensor4D, stride, pad);
}

/** Depthwise conv; dilation is realised by a zero-inserted kernel (tfjs has no dilated depthwise gradient). */
export function depthwise(x: tf.Tensor4D, w: tf.Tensor, stride: number, pad: number, dilation: number): tf.Tensor4D {
  const k = dilation === 1 ? (w as tf.Tensor4D) : dilateKernel(w as tf.Tensor4D, dilation);
  return tf.depthwiseConv2d(x, k, stride, pad);
}

/** [k,k,C,1] → [(k−1)d+1, (k−1)d+1, C, 1] with zeros between taps (exact). */
export function dilateKernel(w: tf.Tensor4D, d: number): tf.Tensor4D {
  const [kh, kw, c, m] = w.shape;
  const zRows = tf.zeros([kh, d - 1, kw, c, m]);
  let r = tf.concat([tf.reshape(w, [kh, 1, kw, c, m]), zRows], 1).reshape([kh * d, kw, c, m]);
  r = tf.slice(r, [0, 0, 0, 0], [(kh - 1) * d + 1, kw, c, m]);
  const H = (kh - 1) * d + 1;
  const zCols = tf.zeros([H, kw, d - 1, c, m]);
  let s = tf.concat([tf.reshape(r, [H, kw, 1, c, m]), zCols], 2).reshape([H, kw * d, c, m]);
  s = tf.slice(s, [0, 0, 0, 0], [H, (kw - 1) * d + 1, c, m]);
  return s as tf.Tensor4D;
}

/** Average-pool factors 9/count for count_include_pad=False, cached per geometry. */
const avgFactorCache = new Map<string, Float32Array>();
function avgPoolFactors(H: number, W: number, stride: number): { data: Float32Array; Ho: number; Wo: number } {
  const Ho = Math.floor((H - 1) / stride) + 1;
  const Wo = Math.floor((W - 1) / stride) + 1;
  const key = `${H},${W},${stride}`;
  let data = avgFactorCache.get(key);
  if (!data) {
    data = new Float32Array(Ho * Wo);
    for (let i = 0; i < Ho; i++)
      for (let j = 0; j < Wo; j++) {
        const r0 = Math.max(0, i * stride - 1), r1 = Math.min(H - 1, i * stride + 1);
        const c0 = Math.max(0, j * stride - 1), c1 = Math.min(W - 1, j * stride + 1);
        data[i * Wo + j] = 9 / ((r1 - r0 + 1) * (c1 - c0 + 1));
      }
    avgFactorCache.set(key, data);
  }
  return { data, Ho, Wo };
}

/**
 * AvgPool2d(3, stride, padding=1, count_include_pad=False): mean over in-bounds elements. One
 * kernel each way where this project's pool kernels are registered (WebGPU; kernels/names.ts).
 */
export function avgPool3(x: tf.Tensor4D, stride: number): tf.Tensor4D {
  const b = tf.getBackend();
  if (tf.getKernel(AVGPOOL3_FORWARD, b) && tf.getKernel(AVGPOOL3_BACKWARD, b)) {
    const f = tf.customGrad(((xi: tf.Tensor) => ({
      value: tf.engine().runKernel(AVGPOOL3_FORWARD, { x: xi }, { stride }) as tf.Tensor,
      gradFunc: (dy: tf.Tensor) => tf.engine().runKernel(AVGPOOL3_BACKWARD, { dy }, { stride, inShape: xi.shape }) as tf.Tensor,
    })) as unknown as Parameters<typeof tf.customGrad>[0]);
    return f(x) as tf.Tensor4D;
  }
  const [, H, W] = x.shape;
  const { data, Ho, Wo } = avgPoolFactors(H, W, stride);
  const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
  // 'valid' avgPool on the zero-padded input has a correct gradient (tfjs's 'same' one is wrong at borders).
  const sum9 = tf.avgPool(padded, 3, stride, 'valid');
  return tf.mul(sum9, tf.tensor4d(data, [1, Ho, Wo, 1])) as tf.Tensor4D;
}

/** MaxPool2d(3, stride, padding=1): padding never wins. */
export function maxPool3(x: tf.Tensor4D, stride: number): tf.Tensor4D {
  return tf.maxPool(x, 3, stride, 1);
}

/** ReLU → Conv(k, stride, pad) → BN: NB201 `ReLUConvBN` and DARTS `ReLUConvBN`. */
export function reluConvBn(reg: ParamRegistry, prefix: string, cin: number, cout: number, k: number, stride: number, pad: number, affine: boolean): OpFn {
  const w = reg.conv(`${prefix}.op.1.weight`, cout, cin, k);
  const bn = reg.bn(`${prefix}.op.2`, cout, affine);
  return (x, f) => batchNorm(conv(reluOnce(x, f), f.w(w), stride, pad), bn, f);
}

/** DARTS SepConv: (ReLU, dw k×k stride s, pw 1×1, BN) then (ReLU, dw k×k, pw 1×1, BN). */
export function sepConv(reg: ParamRegistry, prefix: string, C: number, k: number, stride: number, pad: number): OpFn {
  const dw1 = reg.depthwise(`${prefix}.op.1.weight`, C, k);
  const pw1 = reg.conv(`${prefix}.op.2.weight`, C, C, 1);
  const bn1 = reg.bn(`${prefix}.op.3`, C, false);
  const dw2 = reg.depthwise(`${prefix}.op.5.weight`, C, k);
  const pw2 = reg.conv(`${prefix}.op.6.weight`, C, C, 1);
  const bn2 = reg.bn(`${prefix}.op.7`, C, false);
  return (x, f) => {
    let y = batchNorm(conv(depthwise(reluOnce(x, f), f.w(dw1), stride, pad, 1), f.w(pw1), 1, 0), bn1, f);
    y = batchNorm(conv(depthwise(tf.relu(y), f.w(dw2), 1, pad, 1), f.w(pw2), 1, 0), bn2, f);
    return y;
  };
}

/** DARTS DilConv: ReLU, dw k×k dilation d stride s, pw 1×1, BN. */
export function dilConv(reg: ParamRegistry, prefix: string, C: number, k: number, stride: number, pad: number, d: number): OpFn {
  const dw = reg.depthwise(`${prefix}.op.1.weight`, C, k);
  const pw = reg.conv(`${prefix}.op.2.weight`, C, C, 1);
  const bn = reg.bn(`${prefix}.op.3`, C, false);
  return (x, f) => batchNorm(conv(depthwise(reluOnce(x, f), f.w(dw), stride, pad, d), f.w(pw), 1, 0), bn, f);
}

/** FactorizedReduce: ReLU, two 1×1 stride-2 convs on the even and the odd (shifted) grid, concat, BN. */
export function factorizedReduce(reg: ParamRegistry, prefix: string, cin: number, cout: number, affine: boolean, bnName = `${prefix}.bn`): OpFn {
  const c1 = reg.conv(`${prefix}.conv_1.weight`, cout / 2, cin, 1);
  const c2 = reg.conv(`${prefix}.conv_2.weight`, cout / 2, cin, 1);
  const bn = reg.bn(bnName, cout, affine);
  return (x, f) => {
    const r = reluOnce(x, f);
    const [n, h, w, c] = r.shape;
    const shifted = tf.slice(r, [0, 1, 1, 0], [n, h - 1, w - 1, c]);
    const y = tf.concat([conv(r, f.w(c1), 2, 0), conv(shifted, f.w(c2), 2, 0)], 3) as tf.Tensor4D;
    return batchNorm(y, bn, f);
  };
}

/** Noise op (RobustDARTS S4): fresh N(0,1) of the (strided) input's shape, no gradient to the input. */
export function noiseOp(stride: number): OpFn {
  return (x, f) => {
    const [n, h, w, c] = x.shape;
    const shape: [number, number, number, number] = [n, Math.ceil(h / stride), Math.ceil(w / stride), c];
    const seed = (f.noiseSeed + 7919 * f.noiseCount++) >>> 0;
    return tf.randomNormal(shape, 0, 1, 'float32', seed) as tf.Tensor4D;
  };
}

/**
 * A DARTS-space candidate op (sota/cnn/operations.py; pools followed by BN(affine=False)).
 * Returns null for 'none' (zeros: it adds nothing, and its column of g is exactly 0).
 */
export function dartsOp(reg: ParamRegistry, prefix: string, op: OpName, C: number, stride: number): OpFn | null {
  switch (op) {
    case 'none':
      return null;
    case 'max_pool_3x3':
    case 'avg_pool_3x3': {
      const bn = reg.bn(`${prefix}.1`, C, false);
      const pool = op === 'max_pool_3x3' ? maxPool3 : avgPool3;
      // pool + BN(affine=False) of a node is the same for every edge leaving it: computed once
      return (x, f) => shared(f, `${op}:${stride}:${x.id}`, bn.name, () => batchNorm(pool(x, stride), bn, f));
    }
    case 'skip_connect':
      return stride === 1 ? (x) => x : factorizedReduce(reg, prefix, C, C, false);
    case 'sep_conv_3x3':
      return sepConv(reg, prefix, C, 3, stride, 1);
    case 'sep_conv_5x5':
      return sepConv(reg, prefix, C, 5, stride, 2);
    case 'dil_conv_3x3':
      return dilConv(reg, prefix, C, 3, stride, 2, 2);
    case 'dil_conv_5x5':
      return dilConv(reg, prefix, C, 5, stride, 4, 2);
    case 'noise':
      return noiseOp(stride);
    default:
      throw new Error(`op '${op}' is not part of the DARTS spaces`);
  }
}

/** A NAS-Bench-201 candidate op (cell_operations.py OPS; stride 1 inside search cells). */
export function nb201Op(reg: ParamRegistry, prefix: string, op: OpName, C: number): OpFn | null {
  switch (op) {
    case 'none':
      return null;
    case 'skip_connect':
      return (x) => x;
    case 'nor_conv_1x1':
      return reluConvBn(reg, prefix, C, C, 1, 1, 0, false);
    case 'nor_conv_3x3':
      return reluConvBn(reg, prefix, C, C, 3, 1, 1, false);
    case 'avg_pool_3x3':
      return (x) => avgPool3(x, 1); // NB201 pools have no BN when C_in == C_out
    default:
      throw new Error(`op '${op}' is not part of the NAS-Bench-201 space`);
  }
}

/**
 * Σ_k p_k · op_k(x) over the non-'none' ops: one matMul of the row [1,K'] with the stacked outputs
 * [K', M], or, where this project's weighted-sum kernels are registered (WebGPU), those kernels
 * without the [K', M] copy (kernels/names.ts WSUM_*).
 */
export function mixedSum(outs: tf.Tensor4D[], w: tf.Tensor1D): tf.Tensor4D {
  if (outs.length === 1) return tf.mul(outs[0], w) as tf.Tensor4D;
  const b = tf.getBackend();
  if (outs.length <= WSUM_MAX_INPUTS && tf.getKernel(WSUM_FORWARD, b) && tf.getKernel(WSUM_BACKWARD, b)) return weightedSum(outs, w);
  const shape = outs[0].shape;
  const stacked = tf.stack(outs.map((o) => tf.reshape(o, [-1])));
  return tf.reshape(tf.matMul(tf.reshape(w, [1, -1]), stacked), shape) as tf.Tensor4D;
}

const named = (w: tf.Tensor, xs: tf.Tensor[]): tf.NamedTensorMap => Object.fromEntries([['w', w], ...xs.map((x, k) => [`x${k}`, x])]);

/** y = Σ_k w_k·x_k with dx_k = w_k·dy and dw_k = Σ dy·x_k, one kernel call each way. */
function weightedSum(outs: tf.Tensor4D[], w: tf.Tensor1D): tf.Tensor4D {
  const f = tf.customGrad(((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [wt, ...xs] = args as tf.Tensor[];
    save([wt, ...xs]);
    return {
      value: tf.engine().runKernel(WSUM_FORWARD, named(wt, xs), {}) as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.engine().runKernel(WSUM_BACKWARD, { dy, ...named(saved[0], saved.slice(1)) }, {}) as tf.Tensor[],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return (f as unknown as (...t: tf.Tensor[]) => tf.Tensor)(w, ...outs) as tf.Tensor4D;
}
