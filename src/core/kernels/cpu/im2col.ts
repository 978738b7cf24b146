/**
 * im2col / col2im for NHWC convolutions, a chunk of output pixels at a time. Output pixel
 * p = (b·OH + oy)·OW + ox owns the row col[p − p0][k], k = (kh·KW + kw)·C + c, which holds
 * x[b, oy·sh − pt + kh·dh, ox·sw − pl + kw·dw, c] (0 outside the image). Both work on a
 * zero-padded copy of the image, so every tap is in bounds and a filter row is one run.
 */
import { simdIm2col } from './wasm';

export interface Geom {
  B: number; H: number; W: number; C: number;
  OH: number; OW: number;
  KH: number; KW: number;
  sh: number; sw: number; dh: number; dw: number;
  pt: number; pl: number;
}

/** Geometry from a tfjs Conv2DInfo. */
export function geomOf(ci: {
  batchSize: number; inHeight: number; inWidth: number; inChannels: number; outHeight: number; outWidth: number;
  filterHeight: number; filterWidth: number; strideHeight: number; strideWidth: number; dilationHeight: number; dilationWidth: number;
  padInfo: { top: number; left: number };
}): Geom {
  return {
    B: ci.batchSize, H: ci.inHeight, W: ci.inWidth, C: ci.inChannels, OH: ci.outHeight, OW: ci.outWidth,
    KH: ci.filterHeight, KW: ci.filterWidth, sh: ci.strideHeight, sw: ci.strideWidth,
    dh: ci.dilationHeight, dw: ci.dilationWidth, pt: ci.padInfo.top, pl: ci.padInfo.left,
  };
}

/** Pixels per chunk (a multiple of 4) so that a chunk's col block holds about `budget` numbers. */
export function chunkPixels(g: Geom, width: number, budget = 1 << 16): number {
  return 4 * Math.max(1, Math.floor(budget / (4 * Math.max(1, width, g.KH * g.KW * g.C))));
}

/** A 1×1 stride-1 unpadded conv: col is x itself (pixel-major rows of C). */
export const isPointwise = (g: Geom) => g.KH === 1 && g.KW === 1 && g.sh === 1 && g.sw === 1 && g.pt === 0 && g.pl === 0;

/** Size of the zero-padded image: padded row iy + pt holds image row iy; every tap stays inside. */
export function padded(g: Geom): { Hp: number; Wp: number; size: number } {
  const Hp = Math.max(g.pt + g.H, (g.OH - 1) * g.sh + (g.KH - 1) * g.dh + 1);
  const Wp = Math.max(g.pl + g.W, (g.OW - 1) * g.sw + (g.KW - 1) * g.dw + 1);
  return { Hp, Wp, size: g.B * Hp * Wp * g.C };
}

/** xp ← x inside a zero border (row copies). */
export function padImage(x: Float32Array, g: Geom, xp: Float32Array): void {
  const { Hp, Wp, size } = padded(g), L = g.W * g.C;
  xp.fill(0, 0, size);
  for (let b = 0; b < g.B; b++) for (let iy = 0; iy < g.H; iy++) xp.set(x.subarray((b * g.H + iy) * L, (b * g.H + iy + 1) * L), ((b * Hp + iy + g.pt) * Wp + g.pl) * g.C);
}

/** dx ← the image part of the padded accumulator dxp. */
export function unpadImage(dxp: Float32Array, g: Geom, dx: Float32Array): void {
  const { Hp, Wp } = padded(g), L = g.W * g.C;
  for (let b = 0; b < g.B; b++) for (let iy = 0; iy < g.H; iy++) {
    const s = ((b * Hp + iy + g.pt) * Wp + g.pl) * g.C;
    dx.set(dxp.subarray(s, s + L), (b * g.H + iy) * L);
  }
}

/** Calls f(o, s, n) for the contiguous runs of pixel p's col row: col[o..o+n) ↔ xp[s..s+n). */
function runs(g: Geom, Hp: number, Wp: number, p0: number, p1: number, f: (o: number, s: number, n: number) => void): void {
  const { C, OH, OW, KH, KW, sh, sw, dh, dw } = g;
  const rowRun = dw === 1 ? KW * C : C; // with dw = 1 the KW taps of a filter row are adjacent
  let ox = p0 % OW, oy = ((p0 - ox) / OW) % OH, b = (p0 - ox - oy * OW) / (OW * OH);
  for (let p = p0, o = 0; p < p1; p++) {
    const base = ((b * Hp + oy * sh) * Wp + ox * sw) * C;
    for (let kh = 0; kh < KH; kh++) {
      const s = base + kh * dh * Wp * C;
      if (dw === 1) (f(o, s, rowRun), (o += rowRun));
      else for (let kw = 0; kw < KW; kw++, o += C) f(o, s + kw * dw * C, C);
    }
    if (++ox === OW) {
      ox = 0;
      if (++oy === OH) (oy = 0), b++;
    }
  }
}

/**
 * The same runs, one output-row segment per WebAssembly call (filter rows with dw = 1 only):
 * pixels step by sw·C in xp, a pixel's KH runs of KW·C by dh·Wp·C.
 */
function simdRuns(g: Geom, Hp: number, Wp: number, p0: number, p1: number, scatter: boolean, col: Float32Array, xp: Float32Array): void {
  const { C, OH, OW, KH, KW, sh, sw, dh } = g, K = KH * KW * C;
  let ox = p0 % OW, oy = ((p0 - ox) / OW) % OH, b = (p0 - ox - oy * OW) / (OW * OH);
  for (let p = p0; p < p1; ) {
    const n = Math.min(OW - ox, p1 - p);
    simdIm2col!(scatter, col, (p - p0) * K, xp, ((b * Hp + oy * sh) * Wp + ox * sw) * C, n, sw * C, KH, dh * Wp * C, KW * C);
    p += n;
    ox = 0;
    if (++oy === OH) (oy = 0), b++;
  }
}

/** col[(p − p0)·K + k] for p in [p0, p1), from the padded image xp (or x itself when pointwise). */
export function gatherCols(xp: Float32Array, g: Geom, p0: number, p1: number, col: Float32Array): void {
  if (isPointwise(g)) return col.set(xp.subarray(p0 * g.C, p1 * g.C));
  const { Hp, Wp } = padded(g);
  if (simdIm2col && g.dw === 1) return simdRuns(g, Hp, Wp, p0, p1, false, col, xp);
  runs(g, Hp, Wp, p0, p1, (o, s, n) => {
    for (let i = 0; i < n; i++) col[o + i] = xp[s + i];
  });
}

/** dxp[tap of p] += dcol[(p − p0)·K + k] into the padded accumulator (dx itself when pointwise). */
export function scatterCols(dcol: Float32Array, g: Geom, p0: number, p1: number, dxp: Float32Array): void {
  if (isPointwise(g)) return dxp.set(dcol.subarray(0, (p1 - p0) * g.C), p0 * g.C); // each dx element has one term
  const { Hp, Wp } = padded(g);
  if (simdIm2col && g.dw === 1) return simdRuns(g, Hp, Wp, p0, p1, true, dcol, dxp);
  runs(g, Hp, Wp, p0, p1, (o, s, n) => {
    for (let i = 0; i < n; i++) dxp[s + i] += dcol[o + i];
  });
}
