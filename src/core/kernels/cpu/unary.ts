/**
 * Relu, Step (ReLU's gradient mask) and Square on float32. The stock kernels call a shared closure per
 * element through one megamorphic call site; these are plain loops (WebAssembly SIMD for large
 * inputs) with the same results.
 */
import type * as tf from '@tensorflow/tfjs';
import { f32, out, type KernelArgs } from './util';
import { arena, simdRows, simdUnary } from './wasm';

const SIMD_MIN = 4096;

function viaSimd(kind: 'relu' | 'step', xv: Float32Array, alpha: number): Float32Array {
  const [o, x, a] = arena([xv.length, xv.length, 1]);
  x.set(xv);
  a[0] = alpha;
  simdUnary!(kind, o, x, xv.length, a);
  return o.slice();
}

export function relu({ inputs, backend }: KernelArgs): tf.TensorInfo | null {
  const xv = f32(backend, inputs.x);
  if (!xv) return null;
  if (simdUnary && xv.length >= SIMD_MIN) return out(backend, inputs.x.shape, viaSimd('relu', xv, 0));
  const y = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) y[i] = Math.max(0, xv[i]);
  return out(backend, inputs.x.shape, y);
}

/** x > 0 ? 1 : alpha, NaN stays NaN. */
export function step({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const xv = f32(backend, inputs.x);
  if (!xv) return null;
  const alpha = (attrs.alpha as number | undefined) ?? 0;
  if (simdUnary && xv.length >= SIMD_MIN) return out(backend, inputs.x.shape, viaSimd('step', xv, alpha));
  const y = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) {
    const v = xv[i];
    y[i] = v > 0 ? 1 : v !== v ? NaN : alpha;
  }
  return out(backend, inputs.x.shape, y);
}

/** x·x (the same float32 product as the stock kernel). */
export function square({ inputs, backend }: KernelArgs): tf.TensorInfo | null {
  const xv = f32(backend, inputs.x);
  if (!xv) return null;
  const n = xv.length;
  if (simdRows && n >= SIMD_MIN) {
    const [o, x] = arena([n, n]);
    x.set(xv);
    simdRows('mul', o, 0, n, x, 0, n, 1, x, 0, n, 1, 1, n);
    return out(backend, inputs.x.shape, o.slice());
  }
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = xv[i] * xv[i];
  return out(backend, inputs.x.shape, y);
}
