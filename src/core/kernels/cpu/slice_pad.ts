/**
 * Slice and PadV2 as copies of contiguous runs (the stock kernels move one element at a time
 * through coordinate conversions). Numeric dtypes only; strings and complex fall back.
 */
import * as tf from '@tensorflow/tfjs';
import { vals, type KernelArgs, type Vals } from './util';

const numeric = (t: tf.TensorInfo) => t.dtype === 'float32' || t.dtype === 'int32' || t.dtype === 'bool';

/**
 * Copies a box of `size` from `src` (shape `srcShape`, starting at `srcBegin`) into `dst`
 * (shape `dstShape`, starting at `dstBegin`): outer dims looped, the innermost run copied.
 */
function copyBox(src: Vals, srcShape: number[], srcBegin: number[], dst: Vals, dstShape: number[], dstBegin: number[], size: number[]): void {
  const R = size.length;
  if (size.some((s) => s === 0)) return;
  if (R === 0) {
    dst[0] = src[0];
    return;
  }
  const ss = new Array<number>(R), ds = new Array<number>(R);
  for (let d = R - 1, s = 1, t = 1; d >= 0; d--) {
    ss[d] = s;
    ds[d] = t;
    s *= srcShape[d];
    t *= dstShape[d];
  }
  // innermost run: trailing dims copied whole in both arrays merge into one contiguous run
  let k = R - 1;
  while (k > 0 && size[k] === srcShape[k] && size[k] === dstShape[k]) k--;
  const n = size[k] * ss[k];
  let so = 0, dO = 0;
  for (let d = 0; d < R; d++) {
    so += srcBegin[d] * ss[d];
    dO += dstBegin[d] * ds[d];
  }
  const idx = new Array<number>(k).fill(0);
  for (;;) {
    for (let i = 0; i < n; i++) dst[dO + i] = src[so + i];
    let d = k - 1;
    for (; d >= 0; d--) {
      so += ss[d];
      dO += ds[d];
      if (++idx[d] < size[d]) break;
      so -= ss[d] * size[d];
      dO -= ds[d] * size[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

export function slice({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { x } = inputs;
  if (!numeric(x)) return null;
  const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin as number[], attrs.size as number[]);
  tf.slice_util.assertParamsValid(x, begin, size);
  if (tf.slice_util.isSliceContinous(x.shape, begin, size)) return null; // the stock kernel shares memory: already fast
  const o = tf.util.getTypedArrayFromDType(x.dtype as 'float32', tf.util.sizeFromShape(size)) as Vals;
  copyBox(vals(backend, x), x.shape, begin, o, size, new Array(size.length).fill(0), size);
  return backend.makeTensorInfo(size, x.dtype, o);
}

export function padV2({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { x } = inputs;
  if (!numeric(x)) return null;
  const paddings = attrs.paddings as [number, number][];
  if (paddings.some(([a, b]) => a < 0 || b < 0)) return null;
  const c = attrs.constantValue as number;
  const outShape = paddings.map((p, i) => p[0] + x.shape[i] + p[1]);
  const o = tf.util.getTypedArrayFromDType(x.dtype as 'float32', tf.util.sizeFromShape(outShape)) as Vals;
  if (c !== 0) o.fill(c);
  copyBox(vals(backend, x), x.shape, new Array(x.shape.length).fill(0), o, outShape, paddings.map((p) => p[0]), x.shape);
  return backend.makeTensorInfo(outShape, x.dtype, o);
}
