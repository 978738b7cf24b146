/**
 * Conv2D and its two gradients, NHWC, as im2col + GEMM over chunks of output pixels:
 *   forward     y[p, o]   = Σ_k col[p, k] · w[k, o]          (w is [kh, kw, in, out] = [K, O])
 *   input grad  dcol[p,k] = Σ_o dy[p, o] · w[k, o], then col2im into dx
 *   filter grad dwᵀ[o, k] = Σ_p dyᵀ[o, p] · col[p, k]
 * Geometry (padding, output size, rounding) comes from `backend_util.computeConv2DInfo` exactly
 * as the stock kernels get it. NCHW and non-float32 fall back to the stock kernel (null).
 * The GEMM runs in WebAssembly SIMD where available (float32 sums, as PyTorch), else in JS.
 * im2col multiplies padding zeros too: with non-finite weights (forward) or a non-finite dy
 * (filter grad) that would give 0·Inf = NaN where the stock kernels skip padding, so those rare
 * calls go to the stock kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { gemm } from './gemm';
import { chunkPixels, gatherCols, geomOf, isPointwise, padded, padImage, scatterCols, unpadImage } from './im2col';
import { allFinite, f32, isNhwc, out, type KernelArgs, type Shape4 } from './util';
import { arena } from './wasm';

type Pad = Parameters<typeof tf.backend_util.computeConv2DInfo>[4];
type Rounding = Parameters<typeof tf.backend_util.computeConv2DInfo>[5];

function info(xShape: number[], wShape: number[], a: Record<string, unknown>, dilations: unknown) {
  return tf.backend_util.computeConv2DInfo(
    xShape as Shape4, wShape as Shape4, a.strides as [number, number], (dilations ?? 1) as [number, number],
    a.pad as Pad, a.dimRoundingMode as Rounding, false, 'channelsLast',
  );
}

export function conv2D({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { x, filter } = inputs;
  const xv = f32(backend, x), wv = f32(backend, filter);
  if (!xv || !wv || !isNhwc(attrs) || !allFinite(wv)) return null;
  const ci = info(x.shape, filter.shape, attrs, attrs.dilations);
  const g = geomOf(ci), CO = ci.outChannels, K = g.KH * g.KW * g.C, NP = g.B * g.OH * g.OW;
  const P = chunkPixels(g, CO), pw = isPointwise(g);
  const [col, w, yc, xp] = arena([P * K, K * CO, P * CO, pw ? 0 : padded(g).size]);
  w.set(wv);
  if (!pw) padImage(xv, g, xp);
  const y = new Float32Array(NP * CO);
  for (let p0 = 0; p0 < NP; p0 += P) {
    const n = Math.min(P, NP - p0);
    gatherCols(pw ? xv : xp, g, p0, p0 + n, col);
    gemm(n, CO, K, col, 0, K, w, 0, CO, yc, 0, CO, false);
    y.set(yc.subarray(0, n * CO), p0 * CO);
  }
  return out(backend, ci.outShape, y);
}

export function conv2DBackpropInput({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { dy, filter } = inputs;
  const dyv = f32(backend, dy), wv = f32(backend, filter);
  if (!dyv || !wv || !isNhwc(attrs)) return null;
  const ci = info(attrs.inputShape as number[], filter.shape, attrs, 1);
  const g = geomOf(ci), CO = ci.outChannels, K = g.KH * g.KW * g.C, NP = g.B * g.OH * g.OW;
  const P = chunkPixels(g, CO), pw = isPointwise(g);
  const [dyc, wT, dcol, dxp] = arena([P * CO, CO * K, P * K, pw ? 0 : padded(g).size]);
  for (let k = 0; k < K; k++) for (let o = 0; o < CO; o++) wT[o * K + k] = wv[k * CO + o];
  const dx = new Float32Array(g.B * g.H * g.W * g.C);
  if (!pw) dxp.fill(0);
  for (let p0 = 0; p0 < NP; p0 += P) {
    const n = Math.min(P, NP - p0);
    dyc.set(dyv.subarray(p0 * CO, (p0 + n) * CO));
    gemm(n, K, CO, dyc, 0, CO, wT, 0, K, dcol, 0, K, false);
    scatterCols(dcol, g, p0, p0 + n, pw ? dx : dxp);
  }
  if (!pw) unpadImage(dxp, g, dx);
  return out(backend, ci.inShape, dx);
}

export function conv2DBackpropFilter({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { x, dy } = inputs;
  const xv = f32(backend, x), dyv = f32(backend, dy);
  if (!xv || !dyv || !isNhwc(attrs) || !allFinite(dyv)) return null;
  const fs = attrs.filterShape as number[];
  const ci = info(x.shape, fs, attrs, 1);
  const g = geomOf(ci), CO = ci.outChannels, K = g.KH * g.KW * g.C, NP = g.B * g.OH * g.OW;
  const P = chunkPixels(g, CO), pw = isPointwise(g);
  const [col, dyT, dwT, xp] = arena([P * K, CO * P, CO * K, pw ? 0 : padded(g).size]);
  dwT.fill(0);
  if (!pw) padImage(xv, g, xp);
  for (let p0 = 0; p0 < NP; p0 += P) {
    const n = Math.min(P, NP - p0);
    gatherCols(pw ? xv : xp, g, p0, p0 + n, col);
    for (let i = 0, q = p0 * CO; i < n; i++) for (let o = 0; o < CO; o++, q++) dyT[o * n + i] = dyv[q];
    gemm(CO, K, n, dyT, 0, n, col, 0, K, dwT, 0, K, true);
  }
  const dw = new Float32Array(K * CO);
  for (let k = 0; k < K; k++) for (let o = 0; o < CO; o++) dw[k * CO + o] = dwT[o * K + k];
  return out(backend, fs, dw);
}
