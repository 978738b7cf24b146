/**
 * WebAssembly SIMD kernels (assembled by `asm.ts`), operating on `arena()` views of the module's
 * memory; all are null where WebAssembly SIMD is missing, and callers then use JS.
 *   gemm     C[M×N] (+)= A[M×R]·B[R×N], M % 4 = 0, N % 8 = 0, leading dimensions: 4×8 register
 *            tiles (8 f32x4 accumulators; per r two B vectors, four broadcast A values); with
 *            relaxed SIMD the multiply-add is f32x4.relaxed_madd (an FMA on x86-64 and arm64:
 *            1.2–1.4× faster convolutions here, one rounding instead of two).
 *   rows     m rows of n: o[i] = a[i] op b[i] for + − × ÷, or o[i] += a[i]·b[i] ('madd'), with a
 *            or b optionally one broadcast value per row.
 *   colsum   column sums of rows into float64 (optionally of x/N), for Sum and Mean.
 *   dot      float64 dot products (exact products), for BatchMatMul with transposeB.
 *   im2col   strided run copies (gather) or adds (scatter), for convolutions and SplitV.
 *   relu, step.
 */
import { RELAXED_SIMD_PROBE, relaxedMadd, add, assemble, bitselect, block, brIf, eqz, F, f32Const, f32FromI32, f32Load, f32Store, f64x2Add, f64x2Mul, get, highToLow, i32, ifThen, inc, I32, F32, loadSplat, loop, ltU, mul, promoteLow, set, splat, V, V128, v128Load, v128Store, vEq, vGt, vMax, vZero, whileLt, type Code, type Fn } from './asm';

function gemmFn(fma = false): Fn {
  const [M, N, R, A, LDA, B, LDB, C, LDC, ACC] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [I, J, RR, P0, P1, P2, P3, PB, PC] = [10, 11, 12, 13, 14, 15, 16, 17, 18];
  const CC = 19, B0 = 27, B1 = 28, AV = 29; // v128: 8 accumulators c[row·2 + half], b0, b1, a
  const rows = [P0, P1, P2, P3];
  const inner = loop([
    ...get(PB), ...v128Load(0), ...set(B0), ...get(PB), ...v128Load(16), ...set(B1),
    ...rows.flatMap((p, row) => [
      ...get(p), ...loadSplat(), ...set(AV),
      ...[0, 1].flatMap((h) => fma
        ? [...get(AV), ...get(h ? B1 : B0), ...get(CC + 2 * row + h), ...relaxedMadd, ...set(CC + 2 * row + h)]
        : [...get(CC + 2 * row + h), ...get(AV), ...get(h ? B1 : B0), ...V.mul, ...V.add, ...set(CC + 2 * row + h)]),
      ...inc(p, 4),
    ]),
    ...inc(PB, [...get(LDB), ...i32(4), ...mul]), ...inc(RR, 1),
    ...get(RR), ...get(R), ...ltU, ...brIf(0),
  ]);
  const store = rows.flatMap((_, row) => [0, 1].flatMap((h) => {
    const c = CC + 2 * row + h, addr = [...get(PC), ...get(LDC), ...i32(4 * row), ...mul, ...add];
    return [...get(ACC), ...ifThen([...get(c), ...addr, ...v128Load(16 * h), ...V.add, ...set(c)]), ...addr, ...get(c), ...v128Store(16 * h)];
  }));
  const tile = [
    ...Array.from({ length: 8 }, (_, k) => [...vZero, ...set(CC + k)]).flat(),
    ...rows.flatMap((p, k) => [...get(A), ...get(I), ...i32(k), ...add, ...get(LDA), ...mul, ...i32(4), ...mul, ...add, ...set(p)]),
    ...get(B), ...get(J), ...i32(4), ...mul, ...add, ...set(PB),
    ...i32(0), ...set(RR),
    ...block([...get(R), ...eqz, ...brIf(0), ...inner]),
    ...get(C), ...get(I), ...get(LDC), ...mul, ...i32(4), ...mul, ...add, ...get(J), ...i32(4), ...mul, ...add, ...set(PC),
    ...store,
  ];
  const body = [...i32(0), ...set(I), ...whileLt(I, get(M), 4, [...i32(0), ...set(J), ...whileLt(J, get(N), 8, tile)])];
  return { name: 'gemm', params: 10, locals: [[9, I32], [11, V128]], body };
}

type OpName = 'add' | 'sub' | 'mul' | 'div';
type Pattern = 'vv' | 'vs' | 'sv'; // vector op vector, vector op scalar, scalar op vector

/** (o, a, b, n, m, ro, ra, rb): m rows; o, a, b advance by ro, ra, rb elements per row. */
function binaryFn(op: OpName | 'madd', pat: Pattern): Fn {
  const [O, A, B, N, M, RO, RA, RB] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [I, R, N4, NB] = [8, 9, 10, 11];
  const SV = 12, SF = 13; // the broadcast value as v128 and f32
  const vec = (src: number): Code => [...get(src), ...get(I), ...add, ...v128Load()];
  const sca = (src: number): Code => [...get(src), ...get(I), ...add, ...f32Load()];
  const apply = (x: Code, y: Code, wide: boolean): Code => (op === 'madd'
    ? [...(wide ? vec(O) : sca(O)), ...x, ...y, ...(wide ? V.mul : F.mul), ...(wide ? V.add : F.add)]
    : [...x, ...y, ...(wide ? V[op] : F[op])]);
  const lhs = (wide: boolean) => (pat === 'sv' ? get(wide ? SV : SF) : wide ? vec(A) : sca(A));
  const rhs = (wide: boolean) => (pat === 'vs' ? get(wide ? SV : SF) : wide ? vec(B) : sca(B));
  const scalarSrc = pat === 'vs' ? B : A;
  const row = [
    ...(pat === 'vv' ? [] : [...get(scalarSrc), ...loadSplat(), ...set(SV), ...get(scalarSrc), ...f32Load(), ...set(SF)]),
    ...i32(0), ...set(I),
    ...whileLt(I, get(N4), 16, [...get(O), ...get(I), ...add, ...apply(lhs(true), rhs(true), true), ...v128Store()]),
    ...whileLt(I, get(NB), 4, [...get(O), ...get(I), ...add, ...apply(lhs(false), rhs(false), false), ...f32Store()]),
    ...inc(O, [...get(RO), ...i32(4), ...mul]), ...inc(A, [...get(RA), ...i32(4), ...mul]), ...inc(B, [...get(RB), ...i32(4), ...mul]),
  ];
  const body = [
    ...get(N), ...i32(4), ...mul, ...set(NB),
    ...get(N), ...i32(-4), 0x71 /* i32.and */, ...i32(4), ...mul, ...set(N4),
    ...i32(0), ...set(R), ...whileLt(R, get(M), 1, row),
  ];
  return { name: `${op}_${pat}`, params: 8, locals: [[4, I32], [1, V128], [1, F32]], body };
}

/**
 * (acc, x, n4, m, ldx, N): column sums in float64, acc[c] += x[r·ldx + c] (or the float32
 * quotient x/N when N > 0) for rows r < m in order and columns c < n4 (a multiple of 4).
 */
function colSumFn(): Fn {
  const [ACC, X, N4, M, LDX, DIV] = [0, 1, 2, 3, 4, 5];
  const [I, R, PA] = [6, 7, 8];
  const V4 = 9, DV = 10; // v128
  const lane = (off: number, src: Code) => [...get(PA), ...get(PA), ...v128Load(off), ...src, ...f64x2Add, ...v128Store(off)];
  const row = [
    ...i32(0), ...set(I), ...get(ACC), ...set(PA),
    ...whileLt(I, [...get(N4), ...i32(4), ...mul], 16, [
      ...get(X), ...get(I), ...add, ...v128Load(), ...set(V4),
      ...get(DIV), ...ifThen([...get(V4), ...get(DV), ...V.div, ...set(V4)]),
      ...lane(0, [...get(V4), ...promoteLow]),
      ...lane(16, [...get(V4), ...get(V4), ...highToLow, ...promoteLow]),
      ...inc(PA, 32),
    ]),
    ...inc(X, [...get(LDX), ...i32(4), ...mul]),
  ];
  const body = [
    ...get(DIV), ...f32FromI32, ...splat, ...set(DV),
    ...i32(0), ...set(R), ...whileLt(R, get(M), 1, row),
  ];
  return { name: 'colsum', params: 6, locals: [[3, I32], [2, V128]], body };
}

/**
 * (col, xp, npix, pixStep, taps, tapStep, run): im2col for one output-row segment. For pixel
 * j < npix and tap t < taps, the `run` floats at xp + j·pixStep + t·tapStep go to the next `run`
 * slots of col ('gather'), or col is added there ('scatter'). Steps are in elements.
 */
function im2colFn(scatter: boolean): Fn {
  const [COL, XP, NPIX, PSTEP, TAPS, TSTEP, RUN] = [0, 1, 2, 3, 4, 5, 6];
  const [J, T, I, S0, S, RB, R4] = [7, 8, 9, 10, 11, 12, 13];
  const at = (base: number, load: Code): Code => [...get(base), ...get(I), ...add, ...load];
  const copy = (wide: boolean): Code => scatter
    ? [...get(S), ...get(I), ...add, ...at(S, wide ? v128Load() : f32Load()), ...at(COL, wide ? v128Load() : f32Load()), ...(wide ? V.add : F.add), ...(wide ? v128Store() : f32Store())]
    : [...get(COL), ...get(I), ...add, ...at(S, wide ? v128Load() : f32Load()), ...(wide ? v128Store() : f32Store())];
  const tap = [
    ...i32(0), ...set(I),
    ...whileLt(I, get(R4), 16, copy(true)),
    ...whileLt(I, get(RB), 4, copy(false)),
    ...inc(COL, get(RB)), ...inc(S, [...get(TSTEP), ...i32(4), ...mul]),
  ];
  const body = [
    ...get(RUN), ...i32(4), ...mul, ...set(RB),
    ...get(RUN), ...i32(-4), 0x71, ...i32(4), ...mul, ...set(R4),
    ...get(XP), ...set(S0),
    ...i32(0), ...set(J),
    ...whileLt(J, get(NPIX), 1, [
      ...get(S0), ...set(S), ...i32(0), ...set(T),
      ...whileLt(T, get(TAPS), 1, tap),
      ...inc(S0, [...get(PSTEP), ...i32(4), ...mul]),
    ]),
  ];
  return { name: scatter ? 'col2im' : 'im2col', params: 7, locals: [[7, I32]], body };
}

/**
 * (o, x, n, alphaPtr): 'relu' o = max(x, 0) (NaN stays NaN), or 'step' o = x > 0 ? 1 : alpha
 * (NaN stays NaN), alpha read from alphaPtr. The tail runs as one more (overlapping) vector, so
 * n ≥ 4 is required.
 */
function unaryFn(kind: 'relu' | 'step'): Fn {
  const [O, X, N, AP] = [0, 1, 2, 3];
  const [I, NB] = [4, 5];
  const VX = 6, ONE = 7, AL = 8;
  const op = (): Code => kind === 'relu'
    ? [...get(VX), ...vZero, ...vMax]
    : [...get(ONE), ...get(AL), ...get(VX), ...vZero, ...vGt, ...bitselect, ...get(VX), ...get(VX), ...get(VX), ...vEq, ...bitselect];
  const at = (i: Code): Code => [...get(O), ...i, ...add, ...get(X), ...i, ...add, ...v128Load(), ...set(VX), ...op(), ...v128Store()];
  const body = [
    ...(kind === 'step' ? [...f32Const(1), ...splat, ...set(ONE), ...get(AP), ...loadSplat(), ...set(AL)] : []),
    ...get(N), ...i32(4), ...mul, ...set(NB),
    ...i32(0), ...set(I),
    ...whileLt(I, [...get(NB), ...i32(12), 0x6b /* i32.sub */], 16, at(get(I))),
    ...at([...get(NB), ...i32(16), 0x6b]), // the last four elements (may overlap the loop's last vector)
  ];
  return { name: kind, params: 4, locals: [[2, I32], [3, V128]], body };
}

/**
 * (a, b, n4, out): Σ a[i]·b[i] for i < n4 (a multiple of 4) with exact float64 products and
 * float64 sums in four lanes (i mod 4), stored as four doubles at out.
 */
function dotFn(): Fn {
  const [A, B, N4, OUT] = [0, 1, 2, 3];
  const [I, NB] = [4, 5];
  const VA = 6, VB = 7, S0 = 8, S1 = 9;
  const lo = (v: number) => [...get(v), ...promoteLow];
  const hi = (v: number) => [...get(v), ...get(v), ...highToLow, ...promoteLow];
  const body = [
    ...get(N4), ...i32(4), ...mul, ...set(NB),
    ...vZero, ...set(S0), ...vZero, ...set(S1),
    ...i32(0), ...set(I),
    ...whileLt(I, get(NB), 16, [
      ...get(A), ...get(I), ...add, ...v128Load(), ...set(VA),
      ...get(B), ...get(I), ...add, ...v128Load(), ...set(VB),
      ...get(S0), ...lo(VA), ...lo(VB), ...f64x2Mul, ...f64x2Add, ...set(S0),
      ...get(S1), ...hi(VA), ...hi(VB), ...f64x2Mul, ...f64x2Add, ...set(S1),
    ]),
    ...get(OUT), ...get(S0), ...v128Store(0), ...get(OUT), ...get(S1), ...v128Store(16),
  ];
  return { name: 'dot', params: 4, locals: [[2, I32], [4, V128]], body };
}

const OPS: OpName[] = ['add', 'sub', 'mul', 'div'];
const PATTERNS: Pattern[] = ['vv', 'vs', 'sv'];
type Exported = (...args: number[]) => void;
interface Instance {
  fns: Record<string, Exported>;
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
}

/** Whether the compiled GEMM uses relaxed_madd (decided once, when the module is compiled). */
let fma = false;

const INITIAL_PAGES = 16;
/** A shared memory needs a maximum: 1 GiB of address space (the official size needs tens of MB). */
const MAX_PAGES = 16384;

/** Relaxed SIMD (Chromium ≥ 114; Node 20 with --experimental-wasm-relaxed-simd, set by src/cli/wasm-flags.ts). */
function hasRelaxedSimd(): boolean {
  try {
    return WebAssembly.validate(RELAXED_SIMD_PROBE);
  } catch {
    return false;
  }
}

/** What the kernels run on: WebAssembly SIMD (else JS), the GEMM's multiply-add fused (relaxed SIMD) or not, a shared memory. */
export function wasmFeatures(): { simd: boolean; fma: boolean; shared: boolean } {
  return { simd: !!wasm, fma: !!wasm && fma, shared: !!sharedInstance() };
}

function compile(shared: boolean): WebAssembly.Module | null {
  fma = hasRelaxedSimd();
  const fns = [gemmFn(fma), colSumFn(), im2colFn(false), im2colFn(true), unaryFn('relu'), unaryFn('step'), dotFn(), ...(['madd', ...OPS] as const).flatMap((op) => PATTERNS.map((p) => binaryFn(op, p)))];
  const bytes = assemble(fns, { initial: INITIAL_PAGES, maximum: shared ? MAX_PAGES : undefined, shared });
  return WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
}

function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): Instance {
  const inst = new WebAssembly.Instance(module, { env: { mem: memory } });
  return { fns: inst.exports as unknown as Record<string, Exported>, memory, module };
}

/**
 * The module over a shared memory where the runtime allows one (Node; a cross-origin-isolated
 * page or worker), so helper threads (`threads.ts`) can work in the same arena; else private.
 */
function start(): Instance | null {
  if (typeof WebAssembly === 'undefined') return null;
  try {
    if (typeof SharedArrayBuffer !== 'undefined') {
      const module = compile(true);
      if (module) return instantiate(module, new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true }));
    }
  } catch {
    // shared memory refused (not cross-origin isolated): a private one below
  }
  try {
    const module = compile(false);
    return module ? instantiate(module, new WebAssembly.Memory({ initial: INITIAL_PAGES })) : null;
  } catch {
    return null;
  }
}

let wasm = start();
/** The arena without WebAssembly: a growing JS buffer. */
let fallback = new Float32Array(0);

/** The compiled module and its memory, when the memory is shared (what a helper thread needs), else null. */
export function sharedInstance(): { module: WebAssembly.Module; memory: WebAssembly.Memory } | null {
  return wasm && wasm.memory.buffer instanceof SharedArrayBuffer ? { module: wasm.module, memory: wasm.memory } : null;
}

/** In a helper thread: run this module over the main thread's shared memory from now on. */
export function adoptSharedInstance(module: WebAssembly.Module, memory: WebAssembly.Memory): void {
  wasm = instantiate(module, memory);
}

/** A Float32Array view of the whole arena (offsets in floats); valid until the memory grows. */
export function arenaView(): Float32Array {
  return wasm ? new Float32Array(wasm.memory.buffer) : fallback;
}

const ptr = (v: Float32Array, off: number) => v.byteOffset + 4 * off;

/** C[M×N] (+)= A·B on arena views, M % 4 = 0, N % 8 = 0. */
export const simdGemm = wasm
  ? (m: number, n: number, r: number, a: Float32Array, aOff: number, lda: number, b: Float32Array, bOff: number, ldb: number, c: Float32Array, cOff: number, ldc: number, accumulate: boolean): void =>
      wasm!.fns.gemm(m, n, r, ptr(a, aOff), lda, ptr(b, bOff), ldb, ptr(c, cOff), ldc, accumulate ? 1 : 0)
  : null;

/**
 * m rows of n on arena views: o[oOff + r·ro + i] = a[aOff + r·ra + i·sa] op b[bOff + r·rb + i·sb]
 * with (sa, sb) ∈ {(1,1), (1,0), (0,1)}; op 'madd' is o += a·b.
 */
export const simdRows = wasm
  ? (op: OpName | 'madd', o: Float32Array, oOff: number, ro: number, a: Float32Array, aOff: number, ra: number, sa: number, b: Float32Array, bOff: number, rb: number, sb: number, m: number, n: number): void =>
      wasm!.fns[`${op}_${sa && sb ? 'vv' : sa ? 'vs' : 'sv'}`](ptr(o, oOff), ptr(a, aOff), ptr(b, bOff), n, m, ro, ra, rb)
  : null;

/**
 * Column sums into float64 on arena views: acc[c] += x[xOff + r·ldx + c] (or fround(x/N) when
 * N > 0) for r < m in order, c < n4 (a multiple of 4); `acc` is a Float64Array view of the arena.
 */
export const simdColSum = wasm
  ? (acc: Float64Array, x: Float32Array, xOff: number, n4: number, m: number, ldx: number, N: number): void =>
      wasm!.fns.colsum(acc.byteOffset, ptr(x, xOff), n4, m, ldx, N)
  : null;

/**
 * im2col ('gather': col ← xp runs) or col2im ('scatter': xp runs += col) for npix pixels of one
 * output row on arena views: pixel j, tap t ↔ xp[xOff + j·pixStep + t·tapStep + 0..run).
 */
export const simdIm2col = wasm
  ? (scatter: boolean, col: Float32Array, colOff: number, xp: Float32Array, xOff: number, npix: number, pixStep: number, taps: number, tapStep: number, run: number): void =>
      wasm!.fns[scatter ? 'col2im' : 'im2col'](ptr(col, colOff), ptr(xp, xOff), npix, pixStep, taps, tapStep, run)
  : null;

/** Σ a[aOff + i]·b[bOff + i] for i < n on arena views, float64 (`acc4` is a 4-double arena view). */
export const simdDot = wasm
  ? (a: Float32Array, aOff: number, b: Float32Array, bOff: number, n: number, acc4: Float64Array): number => {
      const n4 = n - (n % 4);
      wasm!.fns.dot(ptr(a, aOff), ptr(b, bOff), n4, acc4.byteOffset);
      let s = acc4[0] + acc4[2] + (acc4[1] + acc4[3]);
      for (let i = n4; i < n; i++) s += a[aOff + i] * b[bOff + i];
      return s;
    }
  : null;

/** o = relu(x) or step(x, alpha) on arena views (n ≥ 4); alpha is read from alpha[0]. */
export const simdUnary = wasm
  ? (kind: 'relu' | 'step', o: Float32Array, x: Float32Array, n: number, alpha: Float32Array): void => wasm!.fns[kind](ptr(o, 0), ptr(x, 0), n, ptr(alpha, 0))
  : null;

/**
 * Float32Array views of consecutive regions (16-byte aligned) of the module memory, growing it as
 * needed; valid until the next call. Without WebAssembly SIMD, views of a growing JS buffer.
 */
export function arena(sizes: number[]): Float32Array[] {
  const offs: number[] = [];
  let total = 0;
  for (const n of sizes) {
    offs.push(total);
    total += Math.ceil(n / 4) * 4;
  }
  let buffer: ArrayBufferLike;
  if (wasm) {
    const mem = wasm.memory, need = total * 4, have = mem.buffer.byteLength;
    if (need > have) mem.grow(Math.ceil((need - have) / 65536));
    buffer = mem.buffer;
  } else {
    if (fallback.length < total) fallback = new Float32Array(total);
    buffer = fallback.buffer;
  }
  return sizes.map((n, k) => new Float32Array(buffer, offs[k] * 4, n));
}
