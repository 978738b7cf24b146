/**
 * Broadcasting Add, Sub, Multiply, RealDiv for float32 inputs. The broadcast is reduced to
 * collapsed dimensions, the last two looped in one tight block (stride 0 or 1 per operand along
 * the inner one), in WebAssembly SIMD for large outputs; the stock kernels convert every output
 * index to coordinates. Results are bit-identical (the same float32 op on the same values).
 */
import * as tf from '@tensorflow/tfjs';
import { f32, out, type KernelArgs } from './util';
import { arena, simdRows } from './wasm';

const enum Op { Add, Sub, Mul, Div }
const OP_NAME = ['add', 'sub', 'mul', 'div'] as const;
/** Below this many outputs the copies into WebAssembly memory cost more than they save. */
const SIMD_MIN = 4096;

/**
 * A block of m rows × n columns: out[oo + r·n + i] = a[ao + r·ra + i·sa] op b[bo + r·rb + i·sb]
 * (sa, sb ∈ {0, 1}, not both 0). Two loop levels per call keep short inner runs (e.g. channels)
 * cheap; each (op, sa, sb) has its own plain loop.
 */
function block(op: Op, o: Float32Array, oo: number, a: Float32Array, ao: number, ra: number, sa: number, b: Float32Array, bo: number, rb: number, sb: number, m: number, n: number): void {
  for (let r = 0; r < m; r++, oo += n, ao += ra, bo += rb) {
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
    if (size === 0) return out(backend, outShape, new Float32Array(0));
    const { dims, as, bs } = broadcastPlan(a.shape, b.shape, outShape);
    // the last two collapsed dims run inside `block`; the rest is an outer counter
    const R = dims.length;
    const n = R ? dims[R - 1] : 1, sa = R ? as[R - 1] : 1, sb = R ? bs[R - 1] : 1;
    const m = R > 1 ? dims[R - 2] : 1, ra = R > 1 ? as[R - 2] : 0, rb = R > 1 ? bs[R - 2] : 0;
    // large ops run in WebAssembly SIMD on copies of the operands
    const simd = simdRows && size >= SIMD_MIN ? simdRows : null;
    const [wo, wa, wb] = simd ? arena([size, av.length, bv.length]) : [new Float32Array(size), av, bv];
    if (simd) {
      wa.set(av);
      wb.set(bv);
    }
    const idx = new Array<number>(Math.max(0, R - 2)).fill(0);
    let ao = 0, bo = 0;
    for (let oo = 0; oo < size; oo += m * n) {
      if (simd) simd(OP_NAME[op], wo, oo, n, wa, ao, ra, sa, wb, bo, rb, sb, m, n);
      else block(op, wo, oo, av, ao, ra, sa, bv, bo, rb, sb, m, n);
      for (let d = R - 3; d >= 0; d--) {
        ao += as[d];
        bo += bs[d];
        if (++idx[d] < dims[d]) break;
        ao -= as[d] * dims[d];
        bo -= bs[d] * dims[d];
        idx[d] = 0;
      }
    }
    return out(backend, outShape, simd ? wo.slice() : wo);
  };
}

export const add = binary(Op.Add);
export const sub = binary(Op.Sub);
export const multiply = binary(Op.Mul);
export const realDiv = binary(Op.Div);
