/**
 * Training-mode BatchNorm without affine as two CPU kernels (NHWC, statistics over N·H·W per
 * channel), replacing 7 forward and 7 backward kernel calls of the composite in ops.ts:
 *   forward:  mean, biased var, inv = 1/√(var + eps), x̂ = (x − mean)·inv
 *   backward: dx = inv·(dy − mean(dy) − x̂·mean(dy·x̂))
 * Sums accumulate in float64 and every stored value is rounded to float32 as the composite's
 * kernels do, so results agree with it to float32 rounding of the reductions.
 */
import type * as tf from '@tensorflow/tfjs';
import { f32, out, type KernelArgs } from './util';

export const BN_FORWARD = 'LambdaDartsBnForward';
export const BN_BACKWARD = 'LambdaDartsBnBackward';

/** inputs {x}, attrs {eps} → [x̂, mean, variance (biased), inv]. */
export function bnForward({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo[] {
  const { x } = inputs;
  const xv = f32(backend, x);
  if (!xv) throw new Error(`${BN_FORWARD}: float32 input expected`);
  const eps = attrs.eps as number;
  const C = x.shape[x.shape.length - 1];
  const rows = xv.length / C;
  const acc = new Float64Array(C);
  for (let r = 0, o = 0; r < rows; r++, o += C) for (let c = 0; c < C; c++) acc[c] += xv[o + c];
  const mean = new Float32Array(C);
  for (let c = 0; c < C; c++) mean[c] = acc[c] / rows;
  const xhat = new Float32Array(xv.length);
  acc.fill(0);
  for (let r = 0, o = 0; r < rows; r++, o += C)
    for (let c = 0; c < C; c++) {
      const d = Math.fround(xv[o + c] - mean[c]);
      xhat[o + c] = d; // x − mean, scaled below
      acc[c] += Math.fround(d * d);
    }
  const variance = new Float32Array(C), inv = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    variance[c] = acc[c] / rows;
    inv[c] = 1 / Math.sqrt(Math.fround(variance[c] + eps));
  }
  for (let r = 0, o = 0; r < rows; r++, o += C) for (let c = 0; c < C; c++) xhat[o + c] *= inv[c];
  return [out(backend, x.shape, xhat), out(backend, [C], mean), out(backend, [C], variance), out(backend, [C], inv)];
}

/** inputs {dy, xhat, inv} → dx = inv·(dy − mean(dy) − x̂·mean(dy·x̂)). */
export function bnBackward({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const dy = f32(backend, inputs.dy), xh = f32(backend, inputs.xhat), iv = f32(backend, inputs.inv);
  if (!dy || !xh || !iv) throw new Error(`${BN_BACKWARD}: float32 inputs expected`);
  const C = iv.length;
  const rows = dy.length / C;
  const sDy = new Float64Array(C), sDyX = new Float64Array(C);
  for (let r = 0, o = 0; r < rows; r++, o += C)
    for (let c = 0; c < C; c++) {
      const g = dy[o + c];
      sDy[c] += g;
      sDyX[c] += Math.fround(g * xh[o + c]);
    }
  const mDy = new Float32Array(C), mDyX = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    mDy[c] = sDy[c] / rows;
    mDyX[c] = sDyX[c] / rows;
  }
  const dx = new Float32Array(dy.length);
  for (let r = 0, o = 0; r < rows; r++, o += C)
    for (let c = 0; c < C; c++) {
      const a = Math.fround(dy[o + c] - mDy[c]);
      const b = Math.fround(a - Math.fround(xh[o + c] * mDyX[c]));
      dx[o + c] = b * iv[c];
    }
  return out(backend, inputs.dy.shape, dx);
}
