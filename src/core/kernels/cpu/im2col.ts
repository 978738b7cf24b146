/**
 * im2col / col2im for NHWC convolutions, a chunk of output pixels at a time. Output pixel
 * p = (b·OH + oy)·OW + ox owns the row col[p − p0][k], k = (kh·KW + kw)·C + c, which holds
 * x[b, oy·sh − pt + kh·dh, ox·sw − pl + kw·dw, c] (0 outside the image).
 */

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

/** Pixels per chunk so that a chunk's col block holds about `budget` numbers (at least 2). */
export function chunkPixels(g: Geom, width: number, budget = 1 << 16): number {
  return Math.max(2, Math.floor(budget / Math.max(1, width, g.KH * g.KW * g.C)));
}

/** col[(p − p0)·K + k] for p in [p0, p1). */
export function gatherCols(x: Float32Array, g: Geom, p0: number, p1: number, col: Float64Array): void {
  const { H, W, C, OH, OW, KH, KW, sh, sw, dh, dw, pt, pl } = g;
  const K = KH * KW * C;
  for (let p = p0; p < p1; p++) {
    const ox = p % OW, t = (p - ox) / OW, oy = t % OH, b = (t - oy) / OH;
    let o = (p - p0) * K;
    for (let kh = 0; kh < KH; kh++) {
      const iy = oy * sh - pt + kh * dh;
      const rowOk = iy >= 0 && iy < H;
      for (let kw = 0; kw < KW; kw++, o += C) {
        const ix = ox * sw - pl + kw * dw;
        if (rowOk && ix >= 0 && ix < W) {
          const xo = ((b * H + iy) * W + ix) * C;
          for (let c = 0; c < C; c++) col[o + c] = x[xo + c];
        } else {
          for (let c = 0; c < C; c++) col[o + c] = 0;
        }
      }
    }
  }
}

/** dx[b, iy, ix, c] += dcol[(p − p0)·K + k] for the in-image taps of p in [p0, p1). */
export function scatterCols(dcol: Float64Array, g: Geom, p0: number, p1: number, dx: Float64Array): void {
  const { H, W, C, OH, OW, KH, KW, sh, sw, dh, dw, pt, pl } = g;
  const K = KH * KW * C;
  for (let p = p0; p < p1; p++) {
    const ox = p % OW, t = (p - ox) / OW, oy = t % OH, b = (t - oy) / OH;
    let o = (p - p0) * K;
    for (let kh = 0; kh < KH; kh++) {
      const iy = oy * sh - pt + kh * dh;
      const rowOk = iy >= 0 && iy < H;
      for (let kw = 0; kw < KW; kw++, o += C) {
        const ix = ox * sw - pl + kw * dw;
        if (rowOk && ix >= 0 && ix < W) {
          const xo = ((b * H + iy) * W + ix) * C;
          for (let c = 0; c < C; c++) dx[xo + c] += dcol[o + c];
        }
      }
    }
  }
}
