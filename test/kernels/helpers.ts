/** Shared helpers for the fast-kernel tests: run a computation on the stock and the fast kernels. */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { useFastCpuKernels } from '../../src/core/kernels/cpu/index';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Values of every tensor `fn` returns, computed with the stock (false) or fast (true) kernels. */
export function run(fast: boolean, fn: () => tf.Tensor | tf.Tensor[]): Float32Array[] {
  useFastCpuKernels(fast);
  const outs = tf.tidy(() => [fn()].flat());
  const v = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return v;
}

/** Stock and fast results of `fn`. */
export function both(fn: () => tf.Tensor | tf.Tensor[]): { stock: Float32Array[]; fast: Float32Array[] } {
  const stock = run(false, fn);
  const fast = run(true, fn);
  return { stock, fast };
}

/** max |a − b| / max(1, max |b|) over all arrays. */
export function relErr(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  expect(a.length).toBe(b.length);
  let num = 0, den = 1;
  a.forEach((ai, k) => {
    expect(ai.length).toBe(b[k].length);
    for (let i = 0; i < ai.length; i++) {
      const d = Math.abs(ai[i] - b[k][i]);
      num = Number.isNaN(d) ? (Number.isNaN(ai[i]) && Number.isNaN(b[k][i]) ? num : Infinity) : Math.max(num, d);
      den = Math.max(den, Math.abs(b[k][i]));
    }
  });
  return num / den;
}

/** Fast and stock agree to `tol` (relative to the largest magnitude, at least 1). */
export function expectClose(fn: () => tf.Tensor | tf.Tensor[], tol = 1e-5): void {
  const { stock, fast } = both(fn);
  expect(relErr(fast, stock)).toBeLessThanOrEqual(tol);
}

/** Fast and stock agree bit for bit (NaN equals NaN). */
export function expectIdentical(fn: () => tf.Tensor | tf.Tensor[]): void {
  const { stock, fast } = both(fn);
  expect(fast.length).toBe(stock.length);
  fast.forEach((f, k) => expect(Array.from(f)).toEqual(Array.from(stock[k])));
}

/** Deterministic pseudo-random values in [−1, 1) (a tiny LCG, independent of tfjs). */
export function rand(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 31 - 1;
  }
  return a;
}

export function randT(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(rand(shape.reduce((x, y) => x * y, 1), seed), shape);
}
