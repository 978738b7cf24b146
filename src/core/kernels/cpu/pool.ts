/**
 * AvgPool, MaxPool and their gradients, NHWC, channel loops innermost. Geometry from
 * `backend_util.computePool2DInfo` as in the stock kernels.
 *
 * Semantics: avgPool divides by the number of in-bounds elements of each window (as the stock
 * forward does); AvgPoolGrad here uses the same count, so it is the true gradient also for
 * 'same'/numeric padding, where the stock gradient divides by the full window at the borders.
 * maxPool takes the first strict maximum (NaN never wins), its gradient routes dy there.
 */
import * as tf from '@tensorflow/tfjs';
import { f32, out, type KernelArgs, type Shape4 } from './util';

type PoolInfo = ReturnType<typeof tf.backend_util.computePool2DInfo>;
type Pad = Parameters<typeof tf.backend_util.computePool2DInfo>[4];
type Rounding = Parameters<typeof tf.backend_util.computePool2DInfo>[5];

function info(xShape: number[], a: Record<string, unknown>): PoolInfo {
  return tf.backend_util.computePool2DInfo(
    xShape as Shape4, a.filterSize as [number, number], a.strides as [number, number], 1, a.pad as Pad, a.dimRoundingMode as Rounding,
  );
}

/** Calls f(b, outOffset, r0, r1, c0, c1) for every output pixel with its in-bounds window. */
function forWindows(p: PoolInfo, f: (b: number, yo: number, r0: number, r1: number, c0: number, c1: number) => void): void {
  const { batchSize: B, inHeight: H, inWidth: W, outHeight: OH, outWidth: OW, inChannels: C } = p;
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      const ry = oy * p.strideHeight - p.padInfo.top;
      const r0 = Math.max(0, ry), r1 = Math.min(H, ry + p.effectiveFilterHeight);
      for (let ox = 0; ox < OW; ox++) {
        const cx = ox * p.strideWidth - p.padInfo.left;
        f(b, ((b * OH + oy) * OW + ox) * C, r0, r1, Math.max(0, cx), Math.min(W, cx + p.effectiveFilterWidth));
      }
    }
  }
}

export function avgPool({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const xv = f32(backend, inputs.x);
  if (!xv) return null;
  const p = info(inputs.x.shape, attrs);
  const { inHeight: H, inWidth: W, inChannels: C } = p;
  const y = new Float32Array(p.batchSize * p.outHeight * p.outWidth * C);
  const acc = new Float64Array(C);
  forWindows(p, (b, yo, r0, r1, c0, c1) => {
    acc.fill(0);
    for (let r = r0; r < r1; r++) {
      for (let c = c0; c < c1; c++) {
        const xo = ((b * H + r) * W + c) * C;
        for (let d = 0; d < C; d++) acc[d] += xv[xo + d];
      }
    }
    const n = (r1 - r0) * (c1 - c0);
    for (let d = 0; d < C; d++) y[yo + d] = acc[d] / n;
  });
  return out(backend, p.outShape, y);
}

export function avgPoolGrad({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const dyv = f32(backend, inputs.dy);
  if (!dyv || inputs.input.dtype !== 'float32') return null;
  const p = info(inputs.input.shape, attrs);
  const { inHeight: H, inWidth: W, inChannels: C } = p;
  const dx = new Float64Array(p.batchSize * H * W * C);
  forWindows(p, (b, yo, r0, r1, c0, c1) => {
    const inv = 1 / ((r1 - r0) * (c1 - c0));
    for (let r = r0; r < r1; r++) {
      for (let c = c0; c < c1; c++) {
        const xo = ((b * H + r) * W + c) * C;
        for (let d = 0; d < C; d++) dx[xo + d] += dyv[yo + d] * inv;
      }
    }
  });
  return out(backend, p.inShape, Float32Array.from(dx));
}

/** Index into x of each output's first strict maximum (−1 when none, e.g. all NaN), and the max. */
function argMax(p: PoolInfo, xv: Float32Array): { idx: Int32Array; max: Float32Array } {
  const { inHeight: H, inWidth: W, inChannels: C } = p;
  const n = p.batchSize * p.outHeight * p.outWidth * C;
  const idx = new Int32Array(n).fill(-1);
  const max = new Float32Array(n).fill(-Infinity);
  forWindows(p, (b, yo, r0, r1, c0, c1) => {
    for (let r = r0; r < r1; r++) {
      for (let c = c0; c < c1; c++) {
        const xo = ((b * H + r) * W + c) * C;
        for (let d = 0; d < C; d++) {
          const v = xv[xo + d];
          if (v > max[yo + d]) {
            max[yo + d] = v;
            idx[yo + d] = xo + d;
          }
        }
      }
    }
  });
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
