/**
 * Broadcasting Add, Sub, Multiply, RealDiv for float32 inputs. The broadcast is reduced to an
 * outer loop over collapsed dimensions and one tight inner loop (elementwise, or one operand
 * constant along it); the stock kernels convert every output index to coordinates. Results are
 * bit-identical (the same float op on the same pair of values).
 */
import * as tf from '@tensorflow/tfjs';
import { f32, out, type KernelArgs } from './util';

const enum Op { Add, Sub, Mul, Div }

/** out[oo..oo+n) = a[ao + i·sa] op b[bo + i·sb], with sa, sb ∈ {0, 1}. */
function inner(op: Op, o: Float32Array, oo: number, a: Float32Array, ao: number, sa: number, b: Float32Array, bo: number, sb: number, n: number): void {
  if (sa && sb) {
    if (op === Op.Add) for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i];
    else if (op === Op.Sub) for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i];
    else if (op === Op.Mul) for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i];
    else for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i];
  } else if (sa) {
    const v = b[bo];
    if (op === Op.Add) for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] + v;
    else if (op === Op.Sub) for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] - v;
    else if (op === Op.Mul) for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] * v;
    else for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] / v;
  } else {
    const v = a[ao];
    if (op === Op.Add) for (let i = 0; i < n; i++) o[oo + i] = v + b[bo + i];
    else if (op === Op.Sub) for (let i = 0; i < n; i++) o[oo + i] = v - b[bo + i];
    else if (op === Op.Mul) for (let i = 0; i < n; i++) o[oo + i] = v * b[bo + i];
    else for (let i = 0; i < n; i++) o[oo + i] = v / b[bo + i];
  }
}

/**
 * Collapsed broadcast geometry: dims (size-1 output dims dropped, neighbours merged when both
 * operands stay contiguous across them) with per-operand strides (0 = broadcast).
 */
export function broadcastPlan(aShape: number[], bShape: number[], outShape: number[]): { dims: number[]; as: number[]; bs: number[] } {
  const R = outShape.length;
  const pa = [...Array(R - aShape.length).fill(1), ...aShape];
  const pb = [...Array(R - bShape.length).fill(1), ...bShape];
  const dims: number[] = [], as: number[] = [], bs: number[] = [];
  let sa = 1, sb = 1;
  const ra: number[] = [], rb: number[] = [];
  for (let i = R - 1; i >= 0; i--) {
    ra[i] = pa[i] === 1 ? 0 : sa;
    rb[i] = pb[i] === 1 ? 0 : sb;
    sa *= pa[i];
    sb *= pb[i];
  }
  for (let i = 0; i < R; i++) {
    if (outShape[i] === 1) continue;
    const k = dims.length - 1;
    // merge into the previous dim when both operands continue contiguously (or stay broadcast)
    if (k >= 0 && as[k] === ra[i] * outShape[i] && bs[k] === rb[i] * outShape[i]) {
      dims[k] *= outShape[i];
      as[k] = ra[i];
      bs[k] = rb[i];
    } else {
      dims.push(outShape[i]);
      as.push(ra[i]);
      bs.push(rb[i]);
    }
  }
  return { dims, as, bs };
}

function binary(op: Op) {
  return ({ inputs, backend }: KernelArgs): tf.TensorInfo | null => {
    const { a, b } = inputs;
    const av = f32(backend, a), bv = f32(backend, b);
    if (!av || !bv) return null;
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const size = outShape.reduce((x, y) => x * y, 1);
    const o = new Float32Array(size);
    if (size === 0) return out(backend, outShape, o);
    const { dims, as, bs } = broadcastPlan(a.shape, b.shape, outShape);
    const R = dims.length;
    if (R === 0) {
      inner(op, o, 0, av, 0, 1, bv, 0, 1, 1);
      return out(backend, outShape, o);
    }
    const n = dims[R - 1], sa = as[R - 1], sb = bs[R - 1];
    const idx = new Array<number>(R).fill(0);
    let ao = 0, bo = 0;
    for (let oo = 0; oo < size; oo += n) {
      inner(op, o, oo, av, ao, sa, bv, bo, sb, n);
      // advance the outer counter (dims 0..R-2)
      for (let d = R - 2; d >= 0; d--) {
        ao += as[d];
        bo += bs[d];
        if (++idx[d] < dims[d]) break;
        ao -= as[d] * dims[d];
        bo -= bs[d] * dims[d];
        idx[d] = 0;
      }
    }
    return out(backend, outShape, o);
  };
}

export const add = binary(Op.Add);
export const sub = binary(Op.Sub);
export const multiply = binary(Op.Mul);
export const realDiv = binary(Op.Div);
