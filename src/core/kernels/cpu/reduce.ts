/**
 * Sum and Mean over any axes of a float32 tensor without the stock kernels' transpose: one
 * linear scan of the input accumulating into a float64 output. Each output sums its elements in
 * the same order and precision as the stock kernels, so Sum is bit-identical; Mean rounds each
 * x·(1/n) to float32 before summing as the stock Mean does with x/n (identical but for x/n within
 * one double ulp of a float32 tie).
 */
import * as tf from '@tensorflow/tfjs';
import { f32, out, type KernelArgs } from './util';
import { arena, simdColSum } from './wasm';

/** Collapsed dims with a flag for reduced ones (size-1 dims dropped, neighbours of one kind merged). */
function plan(shape: number[], axes: number[]): { dims: number[]; red: boolean[] } {
  const dims: number[] = [], red: boolean[] = [];
  shape.forEach((s, i) => {
    if (s === 1) return;
    const r = axes.includes(i);
    if (red.length && red[red.length - 1] === r) dims[dims.length - 1] *= s;
    else {
      dims.push(s);
      red.push(r);
    }
  });
  return { dims, red };
}

/**
 * m rows of n from x[xi…] into acc: a reduced inner dim sums each row into acc[oi + r·ro],
 * a kept one adds the row to acc[oi + r·ro …]. With N > 0 every term is first fround(x/N).
 */
function block(x: Float32Array, xi: number, acc: Float64Array, oi: number, ro: number, m: number, n: number, innerRed: boolean, N: number, ld: number): void {
  const inv = 1 / N; // x·(1/N) rounds to the same float32 as x/N except within 1 double ulp of a tie
  if (innerRed) {
    for (let r = 0; r < m; r++, xi += ld, oi += ro) {
      let s = acc[oi];
      if (N) for (let i = 0; i < n; i++) s += Math.fround(x[xi + i] * inv);
      else for (let i = 0; i < n; i++) s += x[xi + i];
      acc[oi] = s;
    }
  } else if (N) {
    for (let r = 0; r < m; r++, xi += ld, oi += ro) for (let i = 0; i < n; i++) acc[oi + i] += Math.fround(x[xi + i] * inv);
  } else {
    for (let r = 0; r < m; r++, xi += ld, oi += ro) for (let i = 0; i < n; i++) acc[oi + i] += x[xi + i];
  }
}

function reduce(mean: boolean) {
  return ({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null => {
    const { x } = inputs;
    const xv = f32(backend, x);
    if (!xv) return null;
    const axes = tf.util.parseAxisParam((attrs.axis ?? null) as number | number[], x.shape);
    const [outShape, reduceShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const N = reduceShape.reduce((p, q) => p * q, 1);
    const shape = attrs.keepDims ? tf.backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
    const size = outShape.reduce((p, q) => p * q, 1);
    if (xv.length === 0) return out(backend, shape, new Float32Array(size));
    const { dims, red } = plan(x.shape, axes);
    // output strides: kept dims contiguous among themselves, reduced dims 0
    const os = new Array<number>(dims.length).fill(0);
    for (let d = dims.length - 1, s = 1; d >= 0; d--) if (!red[d]) (os[d] = s), (s *= dims[d]);
    // the last two dims run in `block` (or WebAssembly column sums), the rest is an outer counter
    const R = dims.length;
    const n = R ? dims[R - 1] : 1, innerRed = R ? red[R - 1] : true;
    const m = R > 1 ? dims[R - 2] : 1, ro = R > 1 ? os[R - 2] : 0;
    const simd = simdColSum && !innerRed && n >= 4 && xv.length >= 4096 ? simdColSum : null;
    let acc: Float64Array, xs: Float32Array = xv;
    if (simd) {
      const [xa, accf] = arena([xv.length, 2 * size]);
      xa.set(xv);
      xs = xa;
      acc = new Float64Array(accf.buffer, accf.byteOffset, size).fill(0);
    } else {
      acc = new Float64Array(size);
    }
    const idx = new Array<number>(Math.max(0, R - 2)).fill(0);
    let oi = 0;
    for (let xi = 0; xi < xv.length; xi += m * n) {
      if (simd) {
        const n4 = n - (n % 4);
        simd(new Float64Array(acc.buffer, acc.byteOffset + 8 * oi, n), xs, xi, n4, m, n, mean ? N : 0);
        if (n4 < n) block(xs, xi + n4, acc, oi + n4, ro, m, n - n4, false, mean ? N : 0, n);
      } else {
        block(xs, xi, acc, oi, ro, m, n, innerRed, mean ? N : 0, n);
      }
      for (let d = R - 3; d >= 0; d--) {
        oi += os[d];
        if (++idx[d] < dims[d]) break;
        oi -= os[d] * dims[d];
        idx[d] = 0;
      }
    }
    return out(backend, shape, Float32Array.from(acc));
  };
}

export const sum = reduce(false);
export const mean = reduce(true);
