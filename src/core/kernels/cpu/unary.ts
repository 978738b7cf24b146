/**
 * Relu and Step (ReLU's gradient mask) on float32. The stock kernels call a shared closure per
 * element through one megamorphic call site; these are plain loops with the same results.
 */
import type * as tf from '@tensorflow/tfjs';
import { f32, out, type KernelArgs } from './util';

export function relu({ inputs, backend }: KernelArgs): tf.TensorInfo | null {
  const xv = f32(backend, inputs.x);
  if (!xv) return null;
  const y = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) y[i] = Math.max(0, xv[i]);
  return out(backend, inputs.x.shape, y);
}

/** x > 0 ? 1 : alpha, NaN stays NaN. */
export function step({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const xv = f32(backend, inputs.x);
  if (!xv) return null;
  const alpha = (attrs.alpha as number | undefined) ?? 0;
  const y = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) {
    const v = xv[i];
    y[i] = v > 0 ? 1 : v !== v ? NaN : alpha;
  }
  return out(backend, inputs.x.shape, y);
}
