/**
 * Conv2D and its two gradients, NHWC, as im2col + GEMM over chunks of output pixels:
 *   forward     y[p, o]   = Σ_k col[p, k] · w[k, o]          (w is [kh, kw, in, out] = [K, O])
 *   input grad  dcol[p,k] = Σ_o dy[p, o] · w[k, o], then col2im into dx
 *   filter grad dwᵀ[o, k] = Σ_p dyᵀ[o, p] · col[p, k]
 * Geometry (padding, output size, rounding) comes from `backend_util.computeConv2DInfo` exactly
 * as the stock kernels get it. The chunk loops are tasks (`conv_tasks.ts`) shared out among the
 * helper threads when there are any (`threads.ts`); results do not depend on the thread count.
 * NCHW, non-float32, and a dy whose shape differs from the recomputed geometry fall back to the
 * stock kernel (null).
 * The GEMM runs in WebAssembly SIMD where available (float32 sums, as PyTorch), else in JS.
 * im2col multiplies padding zeros too: with non-finite weights (forward) or a non-finite dy
 * (filter grad) that would give 0·Inf = NaN where the stock kernels skip padding, so those rare
 * calls go to the stock kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { chunkPixels, geomOf, isPointwise, padded, padImage, unpadImage } from './im2col';
import { allFinite, f32, isNhwc, out, type KernelArgs, type Shape4 } from './util';
import { arena } from './wasm';
import { CONV_FILTER_GRAD, CONV_FORWARD, CONV_INPUT_GRAD, FILTER_GROUPS, convParams } from './conv_tasks';
import { cpuThreads, parallel } from './threads';

type Pad = Parameters<typeof tf.backend_util.computeConv2DInfo>[4];
type Rounding = Parameters<typeof tf.backend_util.computeConv2DInfo>[5];

function info(xShape: number[], wShape: number[], a: Record<string, unknown>, dilations: unknown) {
  return tf.backend_util.computeConv2DInfo(
    xShape as Shape4, wShape as Shape4, a.strides as [number, number], (dilations ?? 1) as [number, number],
    a.pad as Pad, a.dimRoundingMode as Rounding, false, 'channelsLast',
  );
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Byte offset of an arena view → float offset, for task parameters. */
const at = (v: Float32Array) => v.byteOffset / 4;

export const CONV_THREADING = {
  /**
   * Below this many multiply-adds (~34M) a convolution runs on the calling thread: measured on 2
   * cores, the demo's (≤ 28M) got no faster with a helper. Tests set 0 to thread every one.
   */
  minMacs: 1 << 25,
};

/** Threads worth waking for `macs` multiply-adds split into at most `shares` pieces. */
function threadsFor(macs: number, shares: number): number {
  return macs < CONV_THREADING.minMacs ? 1 : Math.max(1, Math.min(cpuThreads(), shares));
}

export function conv2D({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { x, filter } = inputs;
  const xv = f32(backend, x), wv = f32(backend, filter);
  if (!xv || !wv || !isNhwc(attrs) || !allFinite(wv)) return null;
  const ci = info(x.shape, filter.shape, attrs, attrs.dilations);
  const g = geomOf(ci), CO = ci.outChannels, K = g.KH * g.KW * g.C, NP = g.B * g.OH * g.OW;
  const P = chunkPixels(g, CO), pw = isPointwise(g);
  const T = threadsFor(NP * K * CO, Math.ceil(NP / P));
  const [src, w, y, col] = arena([pw ? xv.length : padded(g).size, K * CO, NP * CO, pw ? 0 : T * P * K]);
  w.set(wv);
  if (pw) src.set(xv);
  else padImage(xv, g, src);
  parallel(CONV_FORWARD, convParams(g, CO, P, pw, [at(src), at(w), at(y), at(col), P * K]), T);
  return out(backend, ci.outShape, y.slice());
}

export function conv2DBackpropInput({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { dy, filter } = inputs;
  const dyv = f32(backend, dy), wv = f32(backend, filter);
  if (!dyv || !wv || !isNhwc(attrs)) return null;
  const ci = info(attrs.inputShape as number[], filter.shape, attrs, 1);
  if (!sameShape(dy.shape, ci.outShape)) return null; // tfjs's gradient drops dimRoundingMode: the stock kernel reads dy by its own shape
  const g = geomOf(ci), CO = ci.outChannels, K = g.KH * g.KW * g.C, NP = g.B * g.OH * g.OW;
  const P = chunkPixels(g, CO), pw = isPointwise(g);
  const T = threadsFor(NP * K * CO, g.B);
  const [dya, wT, dxp, dcol] = arena([NP * CO + 3 * CO, CO * K, pw ? NP * K : padded(g).size, T * P * K]);
  dya.set(dyv);
  dya.fill(0, NP * CO); // the rows a GEMM rounded up to 4 reads (conv_tasks.ts)
  for (let k = 0; k < K; k++) for (let o = 0; o < CO; o++) wT[o * K + k] = wv[k * CO + o];
  if (!pw) dxp.fill(0);
  parallel(CONV_INPUT_GRAD, convParams(g, CO, P, pw, [at(dya), at(wT), at(dxp), at(dcol), P * K]), T);
  if (pw) return out(backend, ci.inShape, dxp.slice());
  const dx = new Float32Array(g.B * g.H * g.W * g.C);
  unpadImage(dxp, g, dx);
  return out(backend, ci.inShape, dx);
}

export function conv2DBackpropFilter({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { x, dy } = inputs;
  const xv = f32(backend, x), dyv = f32(backend, dy);
  if (!xv || !dyv || !isNhwc(attrs) || !allFinite(dyv)) return null;
  const fs = attrs.filterShape as number[];
  const ci = info(x.shape, fs, attrs, 1);
  if (!sameShape(dy.shape, ci.outShape)) return null;
  const g = geomOf(ci), CO = ci.outChannels, K = g.KH * g.KW * g.C, NP = g.B * g.OH * g.OW;
  const P = chunkPixels(g, CO), pw = isPointwise(g);
  const T = threadsFor(NP * K * CO, FILTER_GROUPS), stride = (pw ? 0 : P * K) + CO * P;
  const [src, dya, parts, scratch] = arena([pw ? xv.length : padded(g).size, NP * CO, FILTER_GROUPS * CO * K, T * stride]);
  if (pw) src.set(xv);
  else padImage(xv, g, src);
  dya.set(dyv);
  parallel(CONV_FILTER_GRAD, convParams(g, CO, P, pw, [at(src), at(dya), at(parts), at(scratch), stride, pw ? 0 : P * K]), T);
  // dwᵀ = the groups' partial sums added in group order (the same whatever the thread count)
  const dwT = parts.slice(0, CO * K), n = CO * K;
  for (let grp = 1; grp < FILTER_GROUPS; grp++) for (let i = 0, j = grp * n; i < n; i++, j++) dwT[i] += parts[j];
  const dw = new Float32Array(K * CO);
  for (let k = 0; k < K; k++) for (let o = 0; o < CO; o++) dw[k * CO + o] = dwT[o * K + k];
  return out(backend, fs, dw);
}
