/**
 * AvgPool, MaxPool and their gradients, NHWC. Geometry from `backend_util.computePool2DInfo` as
 * in the stock kernels.
 *
 * Average pooling is separable: window sums along W (one row of the image at a time), then along
 * H (whole output rows at a time), then a per-pixel 1/count; the gradient runs the transposed
 * passes. With stride 1 the W pass is k shifted adds over contiguous runs, and with WebAssembly
 * SIMD both passes run there (`pool_simd.ts`).
 *
 * Semantics: avgPool divides by the number of in-bounds elements of each window (as the stock
 * forward does); AvgPoolGrad here uses the same count, so it is the true gradient also for
 * 'same'/numeric padding, where the stock gradient divides by the full window at the borders.
 * maxPool takes the first strict maximum (NaN never wins), its gradient routes dy there.
 */
import * as tf from '@tensorflow/tfjs';
import { avgPoolGradSimd, avgPoolSimd, canSimdPool, type Pool1 } from './pool_simd';
import { f32, out, type KernelArgs, type Shape4 } from './util';

type PoolInfo = ReturnType<typeof tf.backend_util.computePool2DInfo>;
type Pad = Parameters<typeof tf.backend_util.computePool2DInfo>[4];
type Rounding = Parameters<typeof tf.backend_util.computePool2DInfo>[5];

function info(xShape: number[], a: Record<string, unknown>): PoolInfo {
  return tf.backend_util.computePool2DInfo(
    xShape as Shape4, a.filterSize as [number, number], a.strides as [number, number], 1, a.pad as Pad, a.dimRoundingMode as Rounding,
  );
}

/** In-bounds window [lo, hi) of every output index along one axis. */
function windows(n: number, out: number, stride: number, pad: number, k: number): { lo: Int32Array; hi: Int32Array } {
  const lo = new Int32Array(out), hi = new Int32Array(out);
  for (let o = 0; o < out; o++) {
    lo[o] = Math.max(0, o * stride - pad);
    hi[o] = Math.min(n, o * stride - pad + k);
  }
  return { lo, hi };
}

/**
 * One image row along W: forward dst[ox·C + c] += Σ_{s ∈ window(ox)} src[s·C + c];
 * transposed (grad) src[ox·C + c] is added to dst[s·C + c] for every s ∈ window(ox).
 */
function rowPass(
  src: Float32Array | Float64Array, so: number, dst: Float64Array, d0: number, C: number, W: number, OW: number,
  stride: number, pad: number, k: number, cw: { lo: Int32Array; hi: Int32Array }, transposed: boolean,
): void {
  if (stride === 1) {
    for (let t = 0; t < k; t++) {
      const sh = (t - pad) * C;
      const a = Math.max(0, pad - t), b = Math.min(OW, W + pad - t);
      if (transposed) for (let i = a * C; i < b * C; i++) dst[d0 + i + sh] += src[so + i];
      else for (let i = a * C; i < b * C; i++) dst[d0 + i] += src[so + i + sh];
    }
    return;
  }
  for (let ox = 0; ox < OW; ox++) {
    for (let s = cw.lo[ox]; s < cw.hi[ox]; s++) {
      if (transposed) for (let c = 0; c < C; c++) dst[d0 + s * C + c] += src[so + ox * C + c];
      else for (let c = 0; c < C; c++) dst[d0 + ox * C + c] += src[so + s * C + c];
    }
  }
}

/** Stride-1 geometry with the per-row and per-column reciprocal counts, for `pool_simd.ts`. */
function pool1(p: PoolInfo): Pool1 | null {
  if (!canSimdPool() || p.strideHeight !== 1 || p.strideWidth !== 1) return null;
  const rw = windows(p.inHeight, p.outHeight, 1, p.padInfo.top, p.effectiveFilterHeight);
  const cw = windows(p.inWidth, p.outWidth, 1, p.padInfo.left, p.effectiveFilterWidth);
  return {
    B: p.batchSize, H: p.inHeight, W: p.inWidth, C: p.inChannels, OH: p.outHeight, OW: p.outWidth,
    KH: p.effectiveFilterHeight, KW: p.effectiveFilterWidth, pt: p.padInfo.top, pl: p.padInfo.left,
    rowInv: Float64Array.from(rw.lo, (lo, i) => 1 / (rw.hi[i] - lo)), colInv: Float64Array.from(cw.lo, (lo, i) => 1 / (cw.hi[i] - lo)),
  };
}

export function avgPool({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const xv = f32(backend, inputs.x);
  if (!xv) return null;
  const p = info(inputs.x.shape, attrs);
  const p1 = pool1(p);
  if (p1) return out(backend, p.outShape, avgPoolSimd(xv, p1));
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = p;
  const rw = windows(H, OH, p.strideHeight, p.padInfo.top, p.effectiveFilterHeight);
  const cw = windows(W, OW, p.strideWidth, p.padInfo.left, p.effectiveFilterWidth);
  const rowLen = OW * C;
  const h = new Float64Array(H * rowLen), acc = new Float64Array(rowLen);
  const y = new Float32Array(B * OH * rowLen);
  for (let b = 0; b < B; b++) {
    h.fill(0);
    for (let r = 0; r < H; r++) rowPass(xv, (b * H + r) * W * C, h, r * rowLen, C, W, OW, p.strideWidth, p.padInfo.left, p.effectiveFilterWidth, cw, false);
    for (let oy = 0; oy < OH; oy++) {
      acc.fill(0);
      for (let r = rw.lo[oy]; r < rw.hi[oy]; r++) for (let i = 0, ho = r * rowLen; i < rowLen; i++) acc[i] += h[ho + i];
      const yo = (b * OH + oy) * rowLen, nr = rw.hi[oy] - rw.lo[oy];
      for (let ox = 0; ox < OW; ox++) {
        const n = nr * (cw.hi[ox] - cw.lo[ox]);
        for (let c = 0, i = ox * C; c < C; c++, i++) y[yo + i] = acc[i] / n;
      }
    }
  }
  return out(backend, p.outShape, y);
}

export function avgPoolGrad({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const dyv = f32(backend, inputs.dy);
  if (!dyv || inputs.input.dtype !== 'float32') return null;
  const p = info(inputs.input.shape, attrs);
  const p1 = pool1(p);
  if (p1) return out(backend, p.inShape, avgPoolGradSimd(dyv, p1));
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = p;
  const rw = windows(H, OH, p.strideHeight, p.padInfo.top, p.effectiveFilterHeight);
  const cw = windows(W, OW, p.strideWidth, p.padInfo.left, p.effectiveFilterWidth);
  const rowLen = OW * C;
  const g = new Float64Array(rowLen), v = new Float64Array(H * rowLen), dxRow = new Float64Array(W * C);
  const dx = new Float32Array(B * H * W * C);
  for (let b = 0; b < B; b++) {
    v.fill(0);
    for (let oy = 0; oy < OH; oy++) {
      // g = dy / count, then spread down the window's rows
      const yo = (b * OH + oy) * rowLen, nr = rw.hi[oy] - rw.lo[oy];
      for (let ox = 0; ox < OW; ox++) {
        const inv = 1 / (nr * (cw.hi[ox] - cw.lo[ox]));
        for (let c = 0, i = ox * C; c < C; c++, i++) g[i] = dyv[yo + i] * inv;
      }
      for (let r = rw.lo[oy]; r < rw.hi[oy]; r++) for (let i = 0, vo = r * rowLen; i < rowLen; i++) v[vo + i] += g[i];
    }
    for (let r = 0; r < H; r++) {
      dxRow.fill(0);
      rowPass(v, r * rowLen, dxRow, 0, C, W, OW, p.strideWidth, p.padInfo.left, p.effectiveFilterWidth, cw, true);
      const xo = (b * H + r) * W * C;
      for (let i = 0; i < dxRow.length; i++) dx[xo + i] = dxRow[i];
    }
  }
  return out(backend, p.inShape, dx);
}

/** Index into x of each output's first strict maximum (−1 when none, e.g. all NaN), and the max. */
function argMax(p: PoolInfo, xv: Float32Array): { idx: Int32Array; max: Float32Array } {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = p;
  const rw = windows(H, OH, p.strideHeight, p.padInfo.top, p.effectiveFilterHeight);
  const cw = windows(W, OW, p.strideWidth, p.padInfo.left, p.effectiveFilterWidth);
  const n = B * OH * OW * C;
  const idx = new Int32Array(n).fill(-1);
  const max = new Float32Array(n).fill(-Infinity);
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const yo = ((b * OH + oy) * OW + ox) * C;
        for (let r = rw.lo[oy]; r < rw.hi[oy]; r++) {
          for (let s = cw.lo[ox]; s < cw.hi[ox]; s++) {
            const xo = ((b * H + r) * W + s) * C;
            for (let c = 0; c < C; c++) {
              const v = xv[xo + c];
              if (v > max[yo + c]) {
                max[yo + c] = v;
                idx[yo + c] = xo + c;
              }
            }
          }
        }
      }
    }
  }
  return { idx, max };
}

export function maxPool({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const xv = f32(backend, inputs.x);
  if (!xv) return null;
  const p = info(inputs.x.shape, attrs);
  return out(backend, p.outShape, argMax(p, xv).max);
}

export function maxPoolGrad({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const dyv = f32(backend, inputs.dy), xv = f32(backend, inputs.input);
  if (!dyv || !xv) return null;
  const p = info(inputs.input.shape, attrs);
  const { idx } = argMax(p, xv);
  const dx = new Float64Array(xv.length);
  for (let i = 0; i < idx.length; i++) if (idx[i] >= 0) dx[idx[i]] += dyv[i];
  return out(backend, p.inShape, Float32Array.from(dx));
}
