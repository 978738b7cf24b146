/**
 * A minimal WebAssembly assembler (binary format, MVP + the SIMD opcodes the kernels use), so the
 * SIMD kernels need no toolchain: instructions are byte arrays, a function is its locals and body,
 * `assemble` writes a module exporting the functions, over one imported (optionally shared) memory.
 */

export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const str = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));

export const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;
export type Code = number[];

// variables and integers
export const get = (i: number): Code => [0x20, ...uleb(i)];
export const set = (i: number): Code => [0x21, ...uleb(i)];
export const i32 = (n: number): Code => [0x41, ...sleb(n)];
export const add = [0x6a], sub = [0x6b], mul = [0x6c], ltU = [0x49], eqz = [0x45];
/** local[i] += k */
export const inc = (i: number, k: number | Code): Code => [...get(i), ...(typeof k === 'number' ? i32(k) : k), ...add, ...set(i)];

// memory (align 4 bytes) and float ops
const mem = (offset: number) => [...uleb(2), ...uleb(offset)];
export const f32Load = (off = 0): Code => [0x2a, ...mem(off)];
export const f32Store = (off = 0): Code => [0x38, ...mem(off)];
export const F = { add: [0x92], sub: [0x93], mul: [0x94], div: [0x95] };
const simd = (op: number, ...imm: number[]): Code => [0xfd, ...uleb(op), ...imm];
export const v128Load = (off = 0): Code => simd(0x00, ...mem(off));
export const v128Store = (off = 0): Code => simd(0x0b, ...mem(off));
export const loadSplat = (off = 0): Code => simd(0x09, ...mem(off)); // v128.load32_splat
export const splat = simd(0x13); // f32x4.splat
export const V = { add: simd(0xe4), sub: simd(0xe5), mul: simd(0xe6), div: simd(0xe7) };
/** f32x4.relaxed_madd (relaxed SIMD): a·b + c, fused where the CPU has FMA (one rounding), else mul then add. */
export const relaxedMadd = simd(0x105);
/** A module with one f32x4.relaxed_madd: validates where the runtime has relaxed SIMD. */
export const RELAXED_SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x01, 0x60, 0x03, V128, V128, V128, 0x01, V128,
  0x03, 0x02, 0x01, 0x00, 0x0a, 0x0d, 0x01, 0x0b, 0x00, ...get(0), ...get(1), ...get(2), ...relaxedMadd, 0x0b,
]);
export const vZero = simd(0x0c, ...new Array(16).fill(0));
export const f64x2Add = simd(0xf0), f64x2Mul = simd(0xf2);
export const promoteLow = simd(0x5f); // f64x2.promote_low_f32x4
/** i8x16.shuffle taking the high two f32 lanes of its first operand into the low lanes */
export const highToLow = simd(0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15);
export const f32FromI32 = [0xb2]; // f32.convert_i32_s
export const vMax = simd(0xe9), vEq = simd(0x41), vGt = simd(0x44), bitselect = simd(0x52);
export const f32Const = (x: number): Code => [0x43, ...new Uint8Array(new Float32Array([x]).buffer)];

// control
export const block = (body: Code): Code => [0x02, 0x40, ...body, 0x0b];
export const loop = (body: Code): Code => [0x03, 0x40, ...body, 0x0b];
export const brIf = (depth: number): Code => [0x0d, ...uleb(depth)];
export const ifThen = (body: Code): Code => [0x04, 0x40, ...body, 0x0b];
/** for (; local[i] < limit; local[i] += step) body — the counter is set by the caller. */
export const whileLt = (i: number, limit: Code, step: number, body: Code): Code =>
  block([...get(i), ...limit, ...ltU, ...eqz, ...brIf(0), ...loop([...body, ...inc(i, step), ...get(i), ...limit, ...ltU, ...brIf(0)])]);

export interface Fn {
  name: string;
  params: number;
  /** [count, type] groups after the i32 params */
  locals: [number, number][];
  body: Code;
}

/** The memory a module imports as `env.mem`: `initial` pages, shared (with `maximum`) or not. */
export interface MemoryType {
  initial: number;
  maximum?: number;
  shared?: boolean;
}

/** A module exporting `fns` (all params i32, no results); its memory is imported as `env.mem` and re-exported as `mem`. */
export function assemble(fns: Fn[], mem: MemoryType = { initial: 16 }): Uint8Array<ArrayBuffer> {
  const sigs = [...new Set(fns.map((f) => f.params))];
  const type = section(1, vec(sigs.map((p) => [0x60, ...vec(new Array(p).fill([I32])), ...vec([])])));
  const limits = mem.shared ? [0x03, ...uleb(mem.initial), ...uleb(mem.maximum!)] : mem.maximum ? [0x01, ...uleb(mem.initial), ...uleb(mem.maximum)] : [0x00, ...uleb(mem.initial)];
  const imports = section(2, vec([[...str('env'), ...str('mem'), 0x02, ...limits]]));
  const func = section(3, vec(fns.map((f) => uleb(sigs.indexOf(f.params)))));
  const exp = section(7, vec([...fns.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]), [...str('mem'), 0x02, 0]]));
  const code = section(10, vec(fns.map((f) => {
    const c = [...vec(f.locals.map(([n, t]) => [...uleb(n), t])), ...f.body, 0x0b];
    return [...uleb(c.length), ...c];
  })));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...func, ...exp, ...code]);
}
