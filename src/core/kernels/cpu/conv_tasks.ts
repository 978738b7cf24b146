/**
 * The convolutions' shares of work, run by every thread of `threads.ts` (and by the main thread
 * alone when there are no helpers). All operands are arena regions, passed as float offsets into
 * the shared memory with the geometry as integers (`convParams`). How work is split keeps every
 * result independent of the thread count T:
 *   forward     y rows (output pixels) are independent: chunks of pixels are shared out;
 *   input grad  col2im adds overlapping taps, so threads take whole images (a dx element gets its
 *               terms in pixel order whoever computes it); chunks then start at image boundaries,
 *               so the GEMM rounds its rows up to a multiple of 4: every row runs in the SIMD
 *               kernel (float32 sums) wherever a chunk starts, never in the float64 JS edge;
 *   filter grad Σ over pixels is cut into FILTER_GROUPS fixed groups of chunks, each summed into
 *               its own partial; threads take groups and the caller adds the partials in order.
 */
import { gemm } from './gemm';
import { gatherCols, scatterCols, type Geom } from './im2col';
import { arenaView } from './wasm';

/** NOOP: a round trip through the threads and nothing else (tests, timing). */
export const NOOP = 0, CONV_FORWARD = 1, CONV_INPUT_GRAD = 2, CONV_FILTER_GRAD = 3;

/** Partial sums of a filter gradient: divides evenly among 1, 2, 3, 4, 6, 8, 12 or 24 threads. */
export const FILTER_GROUPS = 24;

const GEOM = ['B', 'H', 'W', 'C', 'OH', 'OW', 'KH', 'KW', 'sh', 'sw', 'dh', 'dw', 'pt', 'pl'] as const;

/** [share t of T] of n items: [⌊n·t/T⌋, ⌊n·(t+1)/T⌋). */
export function share(n: number, t: number, T: number): [number, number] {
  return [Math.floor((n * t) / T), Math.floor((n * (t + 1)) / T)];
}

/** One conv task's parameters: geometry, then out channels, pixels per chunk, pointwise, then float offsets. */
export function convParams(g: Geom, CO: number, P: number, pointwise: boolean, offsets: number[]): number[] {
  return [...GEOM.map((k) => g[k]), CO, P, pointwise ? 1 : 0, ...offsets];
}

function unpack(p: Int32Array) {
  const g = Object.fromEntries(GEOM.map((k, i) => [k, p[i]])) as unknown as Geom;
  const n = GEOM.length;
  return { g, CO: p[n], P: p[n + 1], pw: p[n + 2] === 1, o: p.subarray(n + 3), K: g.KH * g.KW * g.C, NP: g.B * g.OH * g.OW };
}

/** offsets: src (padded image, or x when pointwise), w [K, CO], y [NP, CO], col (thread 0), col stride. */
function forward(p: Int32Array, t: number, T: number): void {
  const { g, CO, P, pw, o, K, NP } = unpack(p);
  const m = arenaView(), src = m.subarray(o[0]), w = m.subarray(o[1]), y = m.subarray(o[2]), col = m.subarray(o[3] + t * o[4]);
  const [c0, c1] = share(Math.ceil(NP / P), t, T);
  for (let c = c0; c < c1; c++) {
    const p0 = c * P, n = Math.min(P, NP - p0);
    if (pw) gemm(n, CO, K, src, p0 * K, K, w, 0, CO, y, p0 * CO, CO, false);
    else {
      gatherCols(src, g, p0, p0 + n, col);
      gemm(n, CO, K, col, 0, K, w, 0, CO, y, p0 * CO, CO, false);
    }
  }
}

/**
 * offsets: dy [NP, CO] (followed by ≥ 3·CO readable floats), wT [CO, K], dxp (padded accumulator,
 * zeroed; dx when pointwise), dcol [P, K] (thread 0), stride.
 */
function inputGrad(p: Int32Array, t: number, T: number): void {
  const { g, CO, P, pw, o, K } = unpack(p);
  const m = arenaView(), dy = m.subarray(o[0]), wT = m.subarray(o[1]), dxp = m.subarray(o[2]), dcol = m.subarray(o[3] + t * o[4]);
  const [b0, b1] = share(g.B, t, T), img = g.OH * g.OW;
  for (let p0 = b0 * img, end = b1 * img; p0 < end; p0 += P) {
    const n = Math.min(P, end - p0);
    gemm((n + 3) & ~3, K, CO, dy, p0 * CO, CO, wT, 0, K, dcol, 0, K, false); // rows past n: discarded
    if (pw) dxp.set(dcol.subarray(0, n * K), p0 * K); // each dx element has one term
    else scatterCols(dcol, g, p0, p0 + n, dxp);
  }
}

/**
 * offsets: src (padded image, or x when pointwise), dy [NP, CO], partials [FILTER_GROUPS, CO, K],
 * scratch (thread 0: col [P, K] — none when pointwise — then dyᵀ [CO, P]), scratch stride, col size.
 */
function filterGrad(p: Int32Array, t: number, T: number): void {
  const { g, CO, P, pw, o, K, NP } = unpack(p);
  const m = arenaView(), src = m.subarray(o[0]), dy = m.subarray(o[1]);
  const col = m.subarray(o[3] + t * o[4]), dyT = m.subarray(o[3] + t * o[4] + o[5]);
  const chunks = Math.ceil(NP / P), [g0, g1] = share(FILTER_GROUPS, t, T);
  for (let grp = g0; grp < g1; grp++) {
    const part = m.subarray(o[2] + grp * CO * K, o[2] + (grp + 1) * CO * K);
    part.fill(0);
    const [c0, c1] = share(chunks, grp, FILTER_GROUPS);
    for (let c = c0; c < c1; c++) {
      const p0 = c * P, n = Math.min(P, NP - p0);
      if (!pw) gatherCols(src, g, p0, p0 + n, col);
      for (let i = 0, q = p0 * CO; i < n; i++) for (let oc = 0; oc < CO; oc++, q++) dyT[oc * n + i] = dy[q];
      gemm(CO, K, n, dyT, 0, n, pw ? src : col, pw ? p0 * K : 0, K, part, 0, K, true);
    }
  }
}

const TASKS: Record<number, (p: Int32Array, t: number, T: number) => void> = {
  [NOOP]: () => {},
  [CONV_FORWARD]: forward,
  [CONV_INPUT_GRAD]: inputGrad,
  [CONV_FILTER_GRAD]: filterGrad,
};

/** Runs share t of T of a task. */
export function runTask(task: number, params: Int32Array, t: number, T: number): void {
  const f = TASKS[task];
  if (!f) throw new Error(`unknown CPU kernel task ${task}`);
  f(params, t, T);
}
