/**
 * Depthwise convolution (channel multiplier 1, width stride 1) by filter taps over whole rows: a
 * tap (kh, kw) maps input row oy·sh − pt + kh·dh onto output row oy shifted by kw·dw − pl pixels,
 * so for one image a tap is one multiply-add over a block of rows × contiguous (ox, c) runs, with
 * the tap's weights tiled along the row. The blocks run in WebAssembly SIMD (`madd`) where
 * available. Taps whose weights are all zero (zero-inserted dilated kernels) are skipped in the
 * forward and input-gradient passes when the other operand is finite (so NaN/Inf still spread).
 */
import { arena, simdRows } from './wasm';

export interface RowGeom {
  B: number; H: number; W: number; C: number; OH: number; OW: number;
  KH: number; KW: number; sh: number; dh: number; dw: number; pt: number; pl: number;
}

/** o[oOff + r·ro + i] += a[aOff + r·ra + i] · b[bOff + r·rb + i] for m rows of n. */
function madd(o: Float32Array, oOff: number, ro: number, a: Float32Array, aOff: number, ra: number, b: Float32Array, bOff: number, rb: number, m: number, n: number): void {
  if (m <= 0 || n <= 0) return;
  if (simdRows) return simdRows('madd', o, oOff, ro, a, aOff, ra, 1, b, bOff, rb, 1, m, n);
  for (let r = 0; r < m; r++, oOff += ro, aOff += ra, bOff += rb) for (let i = 0; i < n; i++) o[oOff + i] += a[aOff + i] * b[bOff + i];
}

/** Tap k: the output rows [oy0, oy1) it reaches with their first input row, its column shift and ox range. */
function span(g: RowGeom, k: number) {
  const kh = Math.floor(k / g.KW), kw = k - kh * g.KW;
  const r0 = g.pt - kh * g.dh; // iy = oy·sh − r0
  const oy0 = Math.max(0, Math.ceil(r0 / g.sh)), oy1 = Math.min(g.OH, Math.floor((g.H - 1 + r0) / g.sh) + 1);
  const shift = kw * g.dw - g.pl;
  return { oy0, oy1, iy0: oy0 * g.sh - r0, shift, lo: Math.max(0, -shift), hi: Math.min(g.OW, g.W - shift) };
}

/** Taps with a nonzero weight (all taps when `all`). */
function liveTaps(w: Float32Array, g: RowGeom, all: boolean): number[] {
  const out: number[] = [];
  for (let k = 0; k < g.KH * g.KW; k++) {
    let nz = all;
    for (let c = 0; c < g.C && !nz; c++) nz = w[k * g.C + c] !== 0;
    if (nz) out.push(k);
  }
  return out;
}

/** tile[k·L + ox·C + c] = w[k·C + c] (L = OW·C): each tap's weights repeated along a row. */
function fillTiles(tile: Float32Array, w: Float32Array, g: RowGeom): void {
  const L = g.OW * g.C;
  for (let k = 0; k < g.KH * g.KW; k++) for (let i = 0; i < L; i++) tile[k * L + i] = w[k * g.C + (i % g.C)];
}

export function forwardRows(x: Float32Array, w: Float32Array, g: RowGeom, skipZeroTaps: boolean): Float32Array {
  const { B, H, W, C, OH, OW, KH, KW, sh } = g, L = OW * C, img = H * W * C;
  const [xa, tile, acc] = arena([x.length, KH * KW * L, OH * L]);
  xa.set(x);
  fillTiles(tile, w, g);
  const taps = liveTaps(w, g, !skipZeroTaps), y = new Float32Array(B * OH * L);
  for (let b = 0; b < B; b++) {
    acc.fill(0);
    for (const k of taps) {
      const { oy0, oy1, iy0, shift, lo, hi } = span(g, k);
      madd(acc, oy0 * L + lo * C, L, xa, b * img + (iy0 * W + shift + lo) * C, sh * W * C, tile, k * L + lo * C, 0, oy1 - oy0, (hi - lo) * C);
    }
    y.set(acc, b * OH * L);
  }
  return y;
}

export function inputGradRows(dy: Float32Array, w: Float32Array, g: RowGeom, skipZeroTaps: boolean): Float32Array {
  const { B, H, W, C, OH, OW, KH, KW, sh } = g, L = OW * C, img = H * W * C;
  const [dya, tile, acc] = arena([dy.length, KH * KW * L, img]);
  dya.set(dy);
  fillTiles(tile, w, g);
  const taps = liveTaps(w, g, !skipZeroTaps), dx = new Float32Array(B * img);
  for (let b = 0; b < B; b++) {
    acc.fill(0);
    for (const k of taps) {
      const { oy0, oy1, iy0, shift, lo, hi } = span(g, k);
      madd(acc, (iy0 * W + shift + lo) * C, sh * W * C, dya, (b * OH + oy0) * L + lo * C, L, tile, k * L + lo * C, 0, oy1 - oy0, (hi - lo) * C);
    }
    dx.set(acc, b * img);
  }
  return dx;
}

export function filterGradRows(x: Float32Array, dy: Float32Array, g: RowGeom): Float32Array {
  const { B, H, W, C, OH, OW, KH, KW, sh } = g, L = OW * C, T = KH * KW, img = H * W * C;
  const [xa, dya, rows] = arena([x.length, dy.length, T * L]); // rows: per tap, per (ox, c) partial sums
  xa.set(x);
  dya.set(dy);
  rows.fill(0);
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < T; k++) {
      const { oy0, oy1, iy0, shift, lo, hi } = span(g, k);
      madd(rows, k * L + lo * C, 0, xa, b * img + (iy0 * W + shift + lo) * C, sh * W * C, dya, (b * OH + oy0) * L + lo * C, L, oy1 - oy0, (hi - lo) * C);
    }
  }
  const dw = new Float32Array(T * C);
  for (let k = 0; k < T; k++) {
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let ox = 0; ox < OW; ox++) s += rows[k * L + ox * C + c];
      dw[k * C + c] = s;
    }
  }
  return dw;
}
