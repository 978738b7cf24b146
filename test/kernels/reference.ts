/**
 * Brute-force NHWC references in float64, written from the definitions (independent of tfjs):
 * convolution (regular and depthwise, any stride/dilation/padding) and pooling, each with its
 * exact gradient. Padding is given explicitly; `padFor` derives it as TensorFlow defines it.
 */

export interface Geo {
  B: number; H: number; W: number; C: number;
  KH: number; KW: number; s: number; d: number;
  top: number; left: number; OH: number; OW: number;
}

/** Output size and top/left padding for 'same' | 'valid' | a symmetric number. */
export function padFor(H: number, W: number, KH: number, KW: number, s: number, d: number, pad: 'same' | 'valid' | number) {
  const eh = (KH - 1) * d + 1, ew = (KW - 1) * d + 1;
  if (pad === 'valid') return { top: 0, left: 0, OH: Math.ceil((H - eh + 1) / s), OW: Math.ceil((W - ew + 1) / s) };
  if (pad === 'same') {
    const OH = Math.ceil(H / s), OW = Math.ceil(W / s);
    const ph = Math.max(0, (OH - 1) * s + eh - H), pw = Math.max(0, (OW - 1) * s + ew - W);
    return { top: Math.floor(ph / 2), left: Math.floor(pw / 2), OH, OW };
  }
  return { top: pad, left: pad, OH: Math.floor((H + 2 * pad - eh) / s) + 1, OW: Math.floor((W + 2 * pad - ew) / s) + 1 };
}

/** Visits every (output pixel, in-image tap): f(b, oy, ox, iy, ix, kh, kw). */
function taps(g: Geo, f: (b: number, oy: number, ox: number, iy: number, ix: number, kh: number, kw: number) => void): void {
  for (let b = 0; b < g.B; b++)
    for (let oy = 0; oy < g.OH; oy++)
      for (let ox = 0; ox < g.OW; ox++)
        for (let kh = 0; kh < g.KH; kh++)
          for (let kw = 0; kw < g.KW; kw++) {
            const iy = oy * g.s - g.top + kh * g.d, ix = ox * g.s - g.left + kw * g.d;
            if (iy >= 0 && iy < g.H && ix >= 0 && ix < g.W) f(b, oy, ox, iy, ix, kh, kw);
          }
}

const xi = (g: Geo, b: number, y: number, x: number, c: number) => ((b * g.H + y) * g.W + x) * g.C + c;

/** Regular conv, w [KH, KW, C, O]: y, and (given dy) dx and dw. */
export function convRef(g: Geo, O: number, x: ArrayLike<number>, w: ArrayLike<number>, dy: ArrayLike<number>) {
  const y = new Float64Array(g.B * g.OH * g.OW * O), dx = new Float64Array(x.length), dw = new Float64Array(w.length);
  taps(g, (b, oy, ox, iy, ix, kh, kw) => {
    const yo = ((b * g.OH + oy) * g.OW + ox) * O;
    for (let c = 0; c < g.C; c++)
      for (let o = 0; o < O; o++) {
        const wi = ((kh * g.KW + kw) * g.C + c) * O + o;
        y[yo + o] += x[xi(g, b, iy, ix, c)] * w[wi];
        dx[xi(g, b, iy, ix, c)] += dy[yo + o] * w[wi];
        dw[wi] += x[xi(g, b, iy, ix, c)] * dy[yo + o];
      }
  });
  return { y, dx, dw };
}

/** Depthwise conv, w [KH, KW, C, M], output channel c·M + q: y, dx, dw. */
export function depthwiseRef(g: Geo, M: number, x: ArrayLike<number>, w: ArrayLike<number>, dy: ArrayLike<number>) {
  const y = new Float64Array(g.B * g.OH * g.OW * g.C * M), dx = new Float64Array(x.length), dw = new Float64Array(w.length);
  taps(g, (b, oy, ox, iy, ix, kh, kw) => {
    const yo = ((b * g.OH + oy) * g.OW + ox) * g.C * M;
    for (let c = 0; c < g.C; c++)
      for (let q = 0; q < M; q++) {
        const wi = ((kh * g.KW + kw) * g.C + c) * M + q;
        y[yo + c * M + q] += x[xi(g, b, iy, ix, c)] * w[wi];
        dx[xi(g, b, iy, ix, c)] += dy[yo + c * M + q] * w[wi];
        dw[wi] += x[xi(g, b, iy, ix, c)] * dy[yo + c * M + q];
      }
  });
  return { y, dx, dw };
}

/** Average pool over in-image elements (count excludes padding): y and the exact dx. */
export function avgPoolRef(g: Geo, x: ArrayLike<number>, dy: ArrayLike<number>) {
  const count = new Float64Array(g.B * g.OH * g.OW);
  taps(g, (b, oy, ox) => count[(b * g.OH + oy) * g.OW + ox]++);
  const y = new Float64Array(g.B * g.OH * g.OW * g.C), dx = new Float64Array(x.length);
  taps(g, (b, oy, ox, iy, ix) => {
    const p = (b * g.OH + oy) * g.OW + ox;
    for (let c = 0; c < g.C; c++) {
      y[p * g.C + c] += x[xi(g, b, iy, ix, c)] / count[p];
      dx[xi(g, b, iy, ix, c)] += dy[p * g.C + c] / count[p];
    }
  });
  return { y, dx };
}

/** Max pool (the first maximal element of a window gets the gradient): y and dx. */
export function maxPoolRef(g: Geo, x: ArrayLike<number>, dy: ArrayLike<number>) {
  const y = new Float64Array(g.B * g.OH * g.OW * g.C).fill(-Infinity), arg = new Int32Array(y.length).fill(-1);
  taps(g, (b, oy, ox, iy, ix) => {
    const p = (b * g.OH + oy) * g.OW + ox;
    for (let c = 0; c < g.C; c++)
      if (x[xi(g, b, iy, ix, c)] > y[p * g.C + c]) {
        y[p * g.C + c] = x[xi(g, b, iy, ix, c)];
        arg[p * g.C + c] = xi(g, b, iy, ix, c);
      }
  });
  const dx = new Float64Array(x.length);
  arg.forEach((a, i) => a >= 0 && (dx[a] += dy[i]));
  return { y, dx };
}
