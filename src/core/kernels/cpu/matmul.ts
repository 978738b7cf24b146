/**
 * BatchMatMul for float32 with loop orders that read memory contiguously: without transposeB,
 * each output row accumulates rows of B (axpy over the output columns); with transposeB, each
 * output element is a dot product of contiguous rows. Float64 sums; batch indices are taken
 * modulo each operand's batch size, as in the stock kernel. The supernet's mixed-op sums
 * ([1, K]·[K, M] with M in the hundred thousands) and their gradients are the hot shapes.
 */
import * as tf from '@tensorflow/tfjs';
import { f32, out, type KernelArgs } from './util';
import { arena, simdDot, simdRows } from './wasm';

export function batchMatMul({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { a, b } = inputs;
  const av = f32(backend, a), bv = f32(backend, b);
  if (!av || !bv) return null;
  const tA = !!attrs.transposeA, tB = !!attrs.transposeB;
  const ra = a.shape.length, rb = b.shape.length;
  const inner = tA ? a.shape[ra - 2] : a.shape[ra - 1];
  if (inner !== (tB ? b.shape[rb - 1] : b.shape[rb - 2])) return null; // the stock kernel raises the error
  const left = tA ? a.shape[ra - 1] : a.shape[ra - 2], right = tB ? b.shape[rb - 2] : b.shape[rb - 1];
  const outer = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2)), batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
  const batch = Math.max(batchA, batchB);
  // element (i, r) of op(A) is av[aBase + i·ai + r·ar]; (r, j) of op(B) is bv[bBase + r·br + j·bj]
  const ai = tA ? 1 : inner, ar = tA ? left : 1;
  const br = tB ? 1 : right, bj = tB ? inner : 1;
  const y = new Float32Array(batch * left * right);
  if (!tB && simdRows && right >= 1024) {
    // wide outputs: each output row accumulates scaled rows of B in WebAssembly SIMD
    const [wa, wb, acc] = arena([av.length, inner * right, right]);
    wa.set(av);
    for (let t = 0; t < batch; t++) {
      const aBase = (t % batchA) * left * inner, bBase = (t % batchB) * inner * right;
      wb.set(bv.subarray(bBase, bBase + inner * right));
      for (let i = 0; i < left; i++) {
        acc.fill(0);
        for (let r = 0; r < inner; r++) simdRows('madd', acc, 0, 0, wa, aBase + i * ai + r * ar, 0, 0, wb, r * right, 0, 1, 1, right);
        y.set(acc, (t * left + i) * right);
      }
    }
    return out(backend, [...outer, left, right], y);
  }
  if (tB && !tA && simdDot && inner >= 1024) {
    // long dot products of contiguous rows (the mixing-weight gradients) in WebAssembly SIMD
    const [wa, wb, acc] = arena([av.length, bv.length, 8]);
    wa.set(av);
    wb.set(bv);
    const acc4 = new Float64Array(acc.buffer, acc.byteOffset, 4);
    for (let t = 0; t < batch; t++) {
      const aBase = (t % batchA) * left * inner, bBase = (t % batchB) * inner * right;
      for (let i = 0; i < left; i++) for (let j = 0; j < right; j++) y[(t * left + i) * right + j] = simdDot(wa, aBase + i * inner, wb, bBase + j * inner, inner, acc4);
    }
    return out(backend, [...outer, left, right], y);
  }
  const J = 512; // output columns per block: the float64 accumulators stay in L1
  const acc = new Float64Array(Math.min(J, right)), coef = new Float64Array(16);
  for (let t = 0; t < batch; t++) {
    const aBase = (t % batchA) * left * inner, bBase = (t % batchB) * inner * right;
    for (let i = 0; i < left; i++) {
      const yo = (t * left + i) * right, ao = aBase + i * ai;
      if (!tB && inner <= 16) {
        // few terms per output (the mixed-op sums): one pass over the output, inner rows read in step
        for (let r = 0; r < inner; r++) coef[r] = av[ao + r * ar];
        const bo = bBase;
        for (let j = 0; j < right; j++) {
          let s = 0;
          for (let r = 0, q = bo + j; r < inner; r++, q += br) s += coef[r] * bv[q];
          y[yo + j] = s;
        }
      } else if (!tB) {
        for (let j0 = 0; j0 < right; j0 += J) {
          const n = Math.min(J, right - j0);
          acc.fill(0);
          for (let r = 0; r < inner; r++) {
            const v = av[ao + r * ar], bo = bBase + r * br + j0;
            for (let j = 0; j < n; j++) acc[j] += v * bv[bo + j];
          }
          for (let j = 0; j < n; j++) y[yo + j0 + j] = acc[j];
        }
      } else {
        for (let j = 0; j < right; j++) {
          let s = 0;
          const bo = bBase + j * bj;
          for (let r = 0; r < inner; r++) s += av[ao + r * ar] * bv[bo + r];
          y[yo + j] = s;
        }
      }
    }
  }
  return out(backend, [...outer, left, right], y);
}
