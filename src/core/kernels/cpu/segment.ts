/**
 * UnsortedSegmentSum (the gradient of tf.gather, e.g. of the mixing weights the cells gather per
 * node). The stock kernel builds a mask, a product and a sum per segment (5 tensors × numSegments);
 * this is one pass adding each row into its segment, accumulated in float64 like the stock Sum.
 * Ids outside [0, numSegments) are dropped (TensorFlow's semantics).
 */
import type * as tf from '@tensorflow/tfjs';
import { f32, out, vals, type KernelArgs } from './util';

export function unsortedSegmentSum({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { x, segmentIds } = inputs;
  const xv = f32(backend, x);
  if (!xv || segmentIds.shape.length !== 1 || segmentIds.shape[0] !== x.shape[0]) return null;
  const ids = vals(backend, segmentIds);
  const numSegments = attrs.numSegments as number;
  const inner = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const acc = new Float64Array(numSegments * inner);
  for (let r = 0; r < ids.length; r++) {
    const s = ids[r];
    if (!(s >= 0 && s < numSegments)) continue;
    const o = s * inner, i = r * inner;
    for (let j = 0; j < inner; j++) acc[o + j] += xv[i + j];
  }
  return out(backend, [numSegments, ...x.shape.slice(1)], Float32Array.from(acc));
}
