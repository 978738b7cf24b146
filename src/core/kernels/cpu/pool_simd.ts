/**
 * Stride-1 average pooling and its gradient as whole-row adds in WebAssembly SIMD (`simdRows`):
 * with stride 1 a window offset t maps all rows (or all columns) of an image onto the output by
 * one shift, so each offset is one call per image. Sums run in float32 (the JS path in
 * `pool.ts` uses float64; the results differ by rounding only).
 */
import { arena, simdRows } from './wasm';

export interface Pool1 {
  B: number; H: number; W: number; C: number; OH: number; OW: number;
  KH: number; KW: number; pt: number; pl: number;
  /** per output row / column: 1 / (number of in-bounds rows / columns) */
  rowInv: Float64Array; colInv: Float64Array;
}

/** o[r·ro + i] += a[r·ra + i] for m rows of n (offsets included). */
function addRows(o: Float32Array, oOff: number, ro: number, a: Float32Array, aOff: number, ra: number, m: number, n: number): void {
  if (m > 0 && n > 0) simdRows!('add', o, oOff, ro, o, oOff, ro, 1, a, aOff, ra, 1, m, n);
}

/** Output index range [lo, hi) for which input index out + t − pad lies in [0, n). */
const range = (t: number, pad: number, n: number, out: number) => ({ lo: Math.max(0, pad - t), hi: Math.min(out, n + pad - t) });

export const canSimdPool = () => simdRows !== null;

export function avgPoolSimd(x: Float32Array, p: Pool1): Float32Array {
  const { B, H, W, C, OH, OW, KH, KW, pt, pl } = p, rowLen = OW * C, img = H * W * C;
  const [xa, h, acc] = arena([x.length, H * rowLen, OH * rowLen]);
  xa.set(x);
  const y = new Float32Array(B * OH * rowLen);
  for (let b = 0; b < B; b++) {
    h.fill(0);
    for (let t = 0; t < KW; t++) { // h[r, ox] = Σ_t x[r, ox + t − pl]
      const { lo, hi } = range(t, pl, W, OW);
      addRows(h, lo * C, rowLen, xa, b * img + (lo + t - pl) * C, W * C, H, (hi - lo) * C);
    }
    acc.fill(0);
    for (let t = 0; t < KH; t++) { // acc[oy] = Σ_t h[oy + t − pt]
      const { lo, hi } = range(t, pt, H, OH);
      addRows(acc, lo * rowLen, rowLen, h, (lo + t - pt) * rowLen, rowLen, hi - lo, rowLen);
    }
    const yo = b * OH * rowLen;
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++) {
        const inv = p.rowInv[oy] * p.colInv[ox], o = (oy * OW + ox) * C;
        for (let c = 0; c < C; c++) y[yo + o + c] = acc[o + c] * inv;
      }
  }
  return y;
}

export function avgPoolGradSimd(dy: Float32Array, p: Pool1): Float32Array {
  const { B, H, W, C, OH, OW, KH, KW, pt, pl } = p, rowLen = OW * C, img = H * W * C;
  const [g, v, d] = arena([OH * rowLen, H * rowLen, img]);
  const dx = new Float32Array(B * img);
  for (let b = 0; b < B; b++) {
    const yo = b * OH * rowLen;
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++) {
        const inv = p.rowInv[oy] * p.colInv[ox], o = (oy * OW + ox) * C;
        for (let c = 0; c < C; c++) g[o + c] = dy[yo + o + c] * inv;
      }
    v.fill(0);
    for (let t = 0; t < KH; t++) { // v[oy + t − pt] += g[oy]
      const { lo, hi } = range(t, pt, H, OH);
      addRows(v, (lo + t - pt) * rowLen, rowLen, g, lo * rowLen, rowLen, hi - lo, rowLen);
    }
    d.fill(0);
    for (let t = 0; t < KW; t++) { // d[r, ox + t − pl] += v[r, ox]
      const { lo, hi } = range(t, pl, W, OW);
      addRows(d, (lo + t - pl) * C, W * C, v, lo * C, rowLen, H, (hi - lo) * C);
    }
    dx.set(d, b * img);
  }
  return dx;
}
