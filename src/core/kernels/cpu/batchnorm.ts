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
import { arena, simdColSum, simdRows } from './wasm';

/** Below this many elements (or without WebAssembly SIMD, or C % 4 ≠ 0) the plain loops run. */
const SIMD_MIN = 4096;
const useSimd = (n: number, C: number) => !!(simdRows && simdColSum) && n >= SIMD_MIN && C % 4 === 0;

/** Column sums of an m×C arena matrix into float64 (`acc` is a Float64Array view of the arena). */
function colSums(acc: Float64Array, x: Float32Array, m: number, C: number): Float64Array {
  acc.fill(0);
  simdColSum!(acc, x, 0, C, m, C, 0);
  return acc;
}

/** o = a op b for an m×C matrix a and a C-vector b broadcast over rows (arena views). */
function rowsOpVec(op: 'sub' | 'mul', o: Float32Array, a: Float32Array, b: Float32Array, m: number, C: number): void {
  simdRows!(op, o, 0, C, a, 0, C, 1, b, 0, 0, 1, m, C);
}

function bnForwardSimd(xv: Float32Array, C: number, eps: number): { xhat: Float32Array; mean: Float32Array; variance: Float32Array; inv: Float32Array } {
  const n = xv.length, rows = n / C;
  const [x, xh, sq, accf, mean, inv] = arena([n, n, n, 2 * C, C, C]);
  const acc = new Float64Array(accf.buffer, accf.byteOffset, C);
  x.set(xv);
  colSums(acc, x, rows, C);
  for (let c = 0; c < C; c++) mean[c] = acc[c] / rows;
  rowsOpVec('sub', xh, x, mean, rows, C); // x − mean
  simdRows!('mul', sq, 0, C, xh, 0, C, 1, xh, 0, C, 1, rows, C); // (x − mean)²
  colSums(acc, sq, rows, C);
  const variance = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    variance[c] = acc[c] / rows;
    inv[c] = 1 / Math.sqrt(Math.fround(variance[c] + eps));
  }
  rowsOpVec('mul', xh, xh, inv, rows, C);
  return { xhat: xh.slice(), mean: mean.slice(), variance, inv: inv.slice() };
}

function bnBackwardSimd(dyv: Float32Array, xhv: Float32Array, iv: Float32Array): Float32Array {
  const C = iv.length, n = dyv.length, rows = n / C;
  const [dy, xh, t, accf, mDy, mDyX, inv] = arena([n, n, n, 2 * C, C, C, C]);
  const acc = new Float64Array(accf.buffer, accf.byteOffset, C);
  dy.set(dyv);
  xh.set(xhv);
  inv.set(iv);
  colSums(acc, dy, rows, C);
  for (let c = 0; c < C; c++) mDy[c] = acc[c] / rows;
  simdRows!('mul', t, 0, C, dy, 0, C, 1, xh, 0, C, 1, rows, C); // dy·x̂
  colSums(acc, t, rows, C);
  for (let c = 0; c < C; c++) mDyX[c] = acc[c] / rows;
  rowsOpVec('mul', t, xh, mDyX, rows, C); // x̂·mean(dy·x̂)
  rowsOpVec('sub', dy, dy, mDy, rows, C); // dy − mean(dy)
  simdRows!('sub', dy, 0, C, dy, 0, C, 1, t, 0, C, 1, rows, C);
  rowsOpVec('mul', dy, dy, inv, rows, C);
  return dy.slice();
}

import { BN_BACKWARD, BN_FORWARD } from '../names';

export { BN_BACKWARD, BN_FORWARD };

/** [mean; unbiased var; inv] as the [3,C] stats tensor of the kernel contract (kernels/names.ts). */
function statsOut(backend: KernelArgs['backend'], mean: Float32Array, variance: Float32Array, inv: Float32Array, rows: number): tf.TensorInfo {
  const C = mean.length;
  const s = new Float32Array(3 * C);
  const k = Math.fround(rows / Math.max(1, rows - 1));
  s.set(mean, 0);
  for (let c = 0; c < C; c++) s[C + c] = variance[c] * k;
  s.set(inv, 2 * C);
  return out(backend, [3, C], s);
}

/** inputs {x}, attrs {eps} → [x̂, stats [3,C] = (mean, unbiased variance, inv)]. */
export function bnForward({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo[] {
  const { x } = inputs;
  const xv = f32(backend, x);
  if (!xv) throw new Error(`${BN_FORWARD}: float32 input expected`);
  const eps = attrs.eps as number;
  const C = x.shape[x.shape.length - 1];
  if (useSimd(xv.length, C)) {
    const r = bnForwardSimd(xv, C, eps);
    return [out(backend, x.shape, r.xhat), statsOut(backend, r.mean, r.variance, r.inv, xv.length / C)];
  }
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
  return [out(backend, x.shape, xhat), statsOut(backend, mean, variance, inv, rows)];
}

/** inputs {dy, xhat, stats} → dx = inv·(dy − mean(dy) − x̂·mean(dy·x̂)). */
export function bnBackward({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const dy = f32(backend, inputs.dy), xh = f32(backend, inputs.xhat), st = f32(backend, inputs.stats);
  if (!dy || !xh || !st) throw new Error(`${BN_BACKWARD}: float32 inputs expected`);
  const C = st.length / 3;
  const iv = st.subarray(2 * C);
  if (useSimd(dy.length, C)) return out(backend, inputs.dy.shape, bnBackwardSimd(dy, xh, iv));
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
