/** Test helpers: tiny writers for tar, PNG, IDX, CIFAR records and MAT-5 files. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zlibSync } from 'fflate';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '../..');
export const SHARED_CIFAR = path.resolve(REPO, '../shared/data/cifar10');

const enc = new TextEncoder();

/** A ustar archive of regular files. */
export function makeTar(files: { name: string; bytes: Uint8Array; type?: string }[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const f of files) {
    const h = new Uint8Array(512);
    const put = (s: string, o: number) => h.set(enc.encode(s), o);
    put(f.name, 0);
    put('0000644\0', 100); put('0000000\0', 108); put('0000000\0', 116);
    put(f.bytes.length.toString(8).padStart(11, '0') + '\0', 124);
    put('00000000000\0', 136);
    put('        ', 148);
    h[156] = (f.type ?? '0').charCodeAt(0);
    put('ustar\0', 257); put('00', 263);
    const sum = h.reduce((s, v) => s + v, 0);
    put(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(h);
    const body = new Uint8Array(Math.ceil(f.bytes.length / 512) * 512);
    body.set(f.bytes);
    blocks.push(body);
  }
  blocks.push(new Uint8Array(1024));
  return concat(blocks);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function crc32(b: Uint8Array): number {
  let c = ~0;
  for (const v of b) { c ^= v; for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1; }
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  out.set(enc.encode(type), 4);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Filter one scanline of `bpp`-byte pixels with PNG filter type f (prev = previous raw row). */
function filterRow(row: Uint8Array, prev: Uint8Array | null, bpp: number, f: number): Uint8Array {
  const out = new Uint8Array(row.length + 1);
  out[0] = f;
  for (let x = 0; x < row.length; x++) {
    const a = x >= bpp ? row[x - bpp] : 0, b = prev ? prev[x] : 0, c = prev && x >= bpp ? prev[x - bpp] : 0;
    const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
    const p = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f];
    out[x + 1] = (row[x] - p) & 0xff;
  }
  return out;
}

export interface PngOpts {
  /** color type: 0 gray, 2 RGB, 4 gray+alpha, 6 RGBA (8-bit); 3 palette with `palette` */
  colorType?: number;
  palette?: number[][];
  depth?: 8 | 16;
  interlace?: boolean;
}

/** Minimal PNG encoder: 8/16-bit samples, rows cycle through the 5 filter types. */
export function encodePng(w: number, h: number, samples: ArrayLike<number>, opts: PngOpts = {}): Uint8Array {
  const ct = opts.colorType ?? 2, depth = opts.depth ?? 8;
  const spp = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[ct]!;
  const bpp = (spp * depth) / 8;
  const rowsOf = (xs: number[], ys: number[]) => {
    const raw: Uint8Array[] = [];
    let prev: Uint8Array | null = null;
    ys.forEach((y, j) => {
      const row = new Uint8Array(xs.length * bpp);
      xs.forEach((x, i) => {
        for (let s = 0; s < spp; s++) {
          const v = samples[(y * w + x) * spp + s];
          if (depth === 16) { row[(i * spp + s) * 2] = v >> 8; row[(i * spp + s) * 2 + 1] = v & 255; } else row[i * spp + s] = v;
        }
      });
      raw.push(filterRow(row, prev, bpp, j % 5));
      prev = row;
    });
    return raw;
  };
  const range = (a: number, n: number, d: number) => Array.from({ length: Math.max(0, Math.ceil((n - a) / d)) }, (_, i) => a + i * d);
  const passes = opts.interlace
    ? [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]]
    : [[0, 0, 1, 1]];
  const parts: Uint8Array[] = [];
  for (const [x0, y0, dx, dy] of passes) {
    const xs = range(x0, w, dx), ys = range(y0, h, dy);
    if (xs.length && ys.length) parts.push(...rowsOf(xs, ys));
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, w); dv.setUint32(4, h);
  ihdr.set([depth, ct, 0, 0, opts.interlace ? 1 : 0], 8);
  const chunks = [chunk('IHDR', ihdr)];
  if (opts.palette) chunks.push(chunk('PLTE', Uint8Array.from(opts.palette.flat())));
  const z = zlibSync(concat(parts));
  chunks.push(chunk('IDAT', z.subarray(0, 7)), chunk('IDAT', z.subarray(7)), chunk('IEND', new Uint8Array(0)));
  return concat([Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]), ...chunks]);
}

/** IDX file: magic 0x0000 08 ndim, big-endian dims, bytes. */
export function makeIdx(dims: number[], data: ArrayLike<number>, magicType = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const dv = new DataView(out.buffer);
  out[2] = magicType; out[3] = dims.length;
  dims.forEach((d, i) => dv.setUint32(4 + 4 * i, d));
  out.set(Array.from(data), 4 + 4 * dims.length);
  return out;
}

/** CIFAR records: labels (1 byte each, or [coarse, fine] pairs) + pixel value f(n, c, y, x). */
export function makeCifar(labels: (number | [number, number])[], f: (n: number, c: number, y: number, x: number) => number): Uint8Array {
  const head = Array.isArray(labels[0]) ? 2 : 1;
  const rec = head + 3072;
  const out = new Uint8Array(labels.length * rec);
  labels.forEach((l, n) => {
    out.set(Array.isArray(l) ? l : [l], n * rec);
    for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out[n * rec + head + c * 1024 + y * 32 + x] = f(n, c, y, x);
  });
  return out;
}

/** MAT-5 (little-endian) with uint8 X (column-major) and double y; each variable zlib-compressed if asked. */
export function makeSvhnMat(X: Uint8Array, dims: number[], y: number[], compress = true): Uint8Array {
  const pad8 = (b: Uint8Array) => concat([b, new Uint8Array((8 - (b.length % 8)) % 8)]);
  const el = (type: number, body: Uint8Array) => {
    const h = new Uint8Array(8);
    const dv = new DataView(h.buffer);
    dv.setUint32(0, type, true); dv.setUint32(4, body.length, true);
    return concat([h, type === 15 ? body : pad8(body)]);
  };
  const matrix = (name: string, cls: number, d: number[], type: number, data: Uint8Array) => {
    const flags = new Uint8Array(8); flags[0] = cls;
    const dimsB = new Uint8Array(4 * d.length); d.forEach((v, i) => new DataView(dimsB.buffer).setInt32(4 * i, v, true));
    return el(14, concat([el(6, flags), el(5, dimsB), el(1, enc.encode(name)), el(type, data)]));
  };
  const yb = new Uint8Array(8 * y.length); y.forEach((v, i) => new DataView(yb.buffer).setFloat64(8 * i, v, true));
  const head = new Uint8Array(128).fill(32);
  head.set(enc.encode('MATLAB 5.0 MAT-file, test'), 0);
  head[124] = 0; head[125] = 1; head.set(enc.encode('IM'), 126);
  const vars = [matrix('X', 9, dims, 2, X), matrix('y', 6, [y.length, 1], 9, yb)];
  return concat([head, ...vars.map((v) => (compress ? el(15, zlibSync(v)) : v))]);
}
