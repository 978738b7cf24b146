/**
 * Conv2D and its two gradients, NHWC, as im2col + GEMM over chunks of output pixels:
 *   forward     y[p, o]   = Σ_k col[p, k] · w[k, o]          (w is [kh, kw, in, out] = [K, O])
 *   input grad  dcol[p,k] = Σ_o dy[p, o] · w[k, o], then col2im into dx
 *   filter grad dw[k, o]  = Σ_p col[p, k] · dy[p, o]
 * Geometry (padding, output size, rounding) comes from `backend_util.computeConv2DInfo` exactly
 * as the stock kernels get it. NCHW and non-float32 fall back to the stock kernel (null).
 * Sums run in float64, so results differ from the stock float32/float64 mix only by rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { gemm, scratch, toF64 } from './gemm';
import { chunkPixels, gatherCols, geomOf, scatterCols } from './im2col';
import { f32, isNhwc, out, type KernelArgs, type Shape4 } from './util';

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
  if (!xv || !wv || !isNhwc(attrs)) return null;
  const ci = info(x.shape, filter.shape, attrs, attrs.dilations);
  const g = geomOf(ci), CO = ci.outChannels, K = g.KH * g.KW * g.C, NP = g.B * g.OH * g.OW;
  const w = toF64('w', wv);
  const P = chunkPixels(g, CO);
  const col = scratch('col', P * K), yc = scratch('y', P * CO);
  const y = new Float32Array(NP * CO);
  for (let p0 = 0; p0 < NP; p0 += P) {
    const n = Math.min(P, NP - p0);
    gatherCols(xv, g, p0, p0 + n, col);
    gemm(n, CO, K, col, 0, K, w, 0, CO, yc, 0, CO, false);
    const o = p0 * CO;
    for (let i = 0; i < n * CO; i++) y[o + i] = yc[i];
  }
  return out(backend, ci.outShape, y);
}

export function conv2DBackpropInput({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { dy, filter } = inputs;
  const dyv = f32(backend, dy), wv = f32(backend, filter);
  if (!dyv || !wv || !isNhwc(attrs)) return null;
  const ci = info(attrs.inputShape as number[], filter.shape, attrs, 1);
  const g = geomOf(ci), CO = ci.outChannels, K = g.KH * g.KW * g.C, NP = g.B * g.OH * g.OW;
  // wT[o, k] = w[k, o]
  const wT = scratch('wT', K * CO);
  for (let k = 0; k < K; k++) for (let o = 0; o < CO; o++) wT[o * K + k] = wv[k * CO + o];
  const P = chunkPixels(g, CO);
  const dyc = scratch('dy', P * CO), dcol = scratch('dcol', P * K);
  const dx = scratch('dx', g.B * g.H * g.W * g.C).fill(0, 0, g.B * g.H * g.W * g.C);
  for (let p0 = 0; p0 < NP; p0 += P) {
    const n = Math.min(P, NP - p0);
    const o = p0 * CO;
    for (let i = 0; i < n * CO; i++) dyc[i] = dyv[o + i];
    gemm(n, K, CO, dyc, 0, CO, wT, 0, K, dcol, 0, K, false);
    scatterCols(dcol, g, p0, p0 + n, dx);
  }
  const res = new Float32Array(g.B * g.H * g.W * g.C);
  for (let i = 0; i < res.length; i++) res[i] = dx[i];
  return out(backend, ci.inShape, res);
}

export function conv2DBackpropFilter({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { x, dy } = inputs;
  const xv = f32(backend, x), dyv = f32(backend, dy);
  if (!xv || !dyv || !isNhwc(attrs)) return null;
  const fs = attrs.filterShape as number[];
  const ci = info(x.shape, fs, attrs, 1);
  const g = geomOf(ci), CO = ci.outChannels, K = g.KH * g.KW * g.C, NP = g.B * g.OH * g.OW;
  const P = chunkPixels(g, CO);
  const col = scratch('col', P * K), dyT = scratch('dyT', P * CO);
  const dwT = scratch('dwT', CO * K).fill(0, 0, CO * K); // dwT[o, k]
  for (let p0 = 0; p0 < NP; p0 += P) {
    const n = Math.min(P, NP - p0);
    gatherCols(xv, g, p0, p0 + n, col);
    for (let i = 0, q = p0 * CO; i < n; i++) for (let o = 0; o < CO; o++, q++) dyT[o * n + i] = dyv[q];
    gemm(CO, K, n, dyT, 0, n, col, 0, K, dwT, 0, K, true);
  }
  const dw = new Float32Array(K * CO);
  for (let k = 0; k < K; k++) for (let o = 0; o < CO; o++) dw[k * CO + o] = dwT[o * K + k];
  return out(backend, fs, dw);
}
