/**
 * Sum and Mean over any axes of a float32 tensor without the stock kernels' transpose: one
 * linear scan of the input accumulating into a float64 output. Each output sums its elements in
 * the same order and precision as the stock kernels (Mean first rounds x/n to float32, as the
 * stock Mean divides before it sums), so the results are bit-identical.
 */
import * as tf from '@tensorflow/tfjs';
import { f32, out, type KernelArgs } from './util';

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
    const acc = new Float64Array(size);
    if (xv.length > 0) {
      const { dims, red } = plan(x.shape, axes);
      // output strides: kept dims contiguous among themselves, reduced dims 0
      const os = new Array<number>(dims.length).fill(0);
      for (let d = dims.length - 1, s = 1; d >= 0; d--) if (!red[d]) (os[d] = s), (s *= dims[d]);
      const R = dims.length;
      const n = R ? dims[R - 1] : 1, innerRed = R ? red[R - 1] : true;
      const idx = new Array<number>(R).fill(0);
      let oi = 0;
      for (let xi = 0; xi < xv.length; xi += n) {
        if (innerRed) {
          let s = acc[oi];
          if (mean) for (let i = 0; i < n; i++) s += Math.fround(xv[xi + i] / N);
          else for (let i = 0; i < n; i++) s += xv[xi + i];
          acc[oi] = s;
        } else if (mean) {
          for (let i = 0; i < n; i++) acc[oi + i] += Math.fround(xv[xi + i] / N);
        } else {
          for (let i = 0; i < n; i++) acc[oi + i] += xv[xi + i];
        }
        for (let d = R - 2; d >= 0; d--) {
          oi += os[d];
          if (++idx[d] < dims[d]) break;
          oi -= os[d] * dims[d];
          idx[d] = 0;
        }
      }
    }
    return out(backend, shape, Float32Array.from(acc));
  };
}

export const sum = reduce(false);
export const mean = reduce(true);
