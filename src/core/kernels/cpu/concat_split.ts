/**
 * Concat and SplitV along any axis as copies of contiguous row segments: with
 * outer = Π shape[:axis], every tensor is a matrix [outer, Π shape[axis:]] and the concatenation
 * interleaves their rows. The stock SplitV slices element by element (non-contiguous slices).
 */
import * as tf from '@tensorflow/tfjs';
import { vals, type KernelArgs, type Vals } from './util';
import { arena, simdIm2col } from './wasm';

const numeric = (t: tf.TensorInfo) => t.dtype === 'float32' || t.dtype === 'int32' || t.dtype === 'bool';
const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);

function copy(dst: Vals, d: number, src: Vals, s: number, n: number): void {
  if (n > 64) dst.set(src.subarray(s, s + n), d);
  else for (let i = 0; i < n; i++) dst[d + i] = src[s + i];
}

export function concat({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const list = Object.values(inputs);
  if (list.length === 0 || !list.every((t) => numeric(t) && t.dtype === list[0].dtype)) return null;
  const axis = tf.util.parseAxisParam(attrs.axis as number, list[0].shape)[0];
  const shapes = list.map((t) => t.shape);
  tf.backend_util.assertParamsConsistent(shapes, axis);
  const outShape = tf.backend_util.computeOutShape(shapes, axis);
  const o = tf.util.getTypedArrayFromDType(list[0].dtype as 'float32', prod(outShape)) as Vals;
  const outer = prod(outShape.slice(0, axis)), row = prod(outShape.slice(axis));
  const inners = list.map((t) => prod(t.shape.slice(axis)));
  // many short rows of float32 from equal parts (the gradient of the fused convs' SplitV): the
  // parts side by side in the arena, then one WebAssembly gather takes row r of every part in turn
  if (simdIm2col && list[0].dtype === 'float32' && outer >= 64 && o.length >= 4096 && inners.every((n) => n === inners[0])) {
    const n = outer * inners[0];
    const [src, dst] = arena([o.length, o.length]);
    list.forEach((t, k) => src.set(vals(backend, t), k * n));
    simdIm2col(false, dst, 0, src, 0, outer, inners[0], list.length, n, inners[0]);
    o.set(dst);
    return backend.makeTensorInfo(outShape, list[0].dtype, o);
  }
  let col = 0;
  for (const t of list) {
    const inner = prod(t.shape.slice(axis));
    if (inner === 0) continue;
    const v = vals(backend, t);
    for (let r = 0; r < outer; r++) copy(o, r * row + col, v, r * inner, inner);
    col += inner;
  }
  return backend.makeTensorInfo(outShape, list[0].dtype, o);
}

export function splitV({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo[] | null {
  const { x } = inputs;
  if (!numeric(x)) return null;
  const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x, attrs.numOrSizeSplits as number[] | number, axis);
  const v = vals(backend, x);
  const outer = prod(x.shape.slice(0, axis)), tail = prod(x.shape.slice(axis + 1)), row = x.shape[axis] * tail;
  // many short rows of float32: WebAssembly strided copies (im2col with one tap per row)
  const simd = simdIm2col && x.dtype === 'float32' && outer >= 64 && v.length >= 4096 ? simdIm2col : null;
  const [src, dst] = simd ? arena([v.length, v.length]) : [null, null];
  if (src) src.set(v);
  let col = 0;
  return sizes.map((s) => {
    const shape = x.shape.slice();
    shape[axis] = s;
    const inner = s * tail;
    let o: Vals;
    if (simd && src && dst) {
      simd(false, dst, 0, src, col, outer, row, 1, 0, inner);
      o = dst.slice(0, outer * inner);
    } else {
      o = tf.util.getTypedArrayFromDType(x.dtype as 'float32', outer * inner) as Vals;
      for (let r = 0; r < outer; r++) copy(o, r * inner, v, r * row + col, inner);
    }
    col += inner;
    return backend.makeTensorInfo(shape, x.dtype, o);
  });
}
