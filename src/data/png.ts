/**
 * Pure-JS PNG decoder (fflate's zlib inflate + the PNG filters), so PNG works in the browser,
 * a worker and Node alike. All color types, bit depths 1–16, Adam7 interlacing. Output is
 * 1 channel (gray, gray+alpha) or 3 channels (RGB, RGBA, palette); alpha is dropped.
 */
import { unzlibSync } from 'fflate';
import { concatBytes } from './archive';
import { DataError, MAX_IMAGE_PIXELS } from './errors';

export interface RawImage {
  width: number;
  height: number;
  channels: 1 | 3;
  /** HWC bytes */
  data: Uint8Array;
}

const SIG = [137, 80, 78, 71, 13, 10, 26, 10];
export function isPng(b: Uint8Array): boolean {
  return b.length >= 8 && SIG.every((v, i) => b[i] === v);
}

const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];

export function decodePng(name: string, b: Uint8Array): RawImage {
  const bad = (why: string) => new DataError(`${name} is not a valid PNG (${why}).`);
  if (!isPng(b)) throw bad('no PNG signature');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let off = 8;
  let w = 0, h = 0, depth = 0, ctype = 0, interlace = 0;
  let palette: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  while (off + 8 <= b.length) {
    const len = dv.getUint32(off);
    const type = String.fromCharCode(b[off + 4], b[off + 5], b[off + 6], b[off + 7]);
    const body = b.subarray(off + 8, off + 8 + len);
    if (body.length < len) throw bad(`chunk ${type} is truncated`);
    if (type === 'IHDR') {
      w = dv.getUint32(off + 8); h = dv.getUint32(off + 12);
      depth = b[off + 16]; ctype = b[off + 17]; interlace = b[off + 20];
    } else if (type === 'PLTE') palette = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  if (!w || !h) throw bad('no IHDR');
  if (w * h > MAX_IMAGE_PIXELS) throw bad(`${w}×${h} is above the ${MAX_IMAGE_PIXELS.toLocaleString('en-US')}-pixel limit`);
  const spp = SAMPLES[ctype];
  if (!spp || ![1, 2, 4, 8, 16].includes(depth)) throw bad(`unsupported color type ${ctype} / bit depth ${depth}`);
  if (ctype === 3 && !palette) throw bad('palette image without PLTE');
  const passes = interlace ? ADAM7 : [[0, 0, 1, 1]];
  const bitsPP = spp * depth;
  let need = 0; // filtered bytes the header promises: inflate into exactly that
  for (const [x0, y0, dx, dy] of passes) {
    const pw = Math.ceil((w - x0) / dx), ph = Math.ceil((h - y0) / dy);
    if (pw > 0 && ph > 0) need += ph * (Math.ceil((pw * bitsPP) / 8) + 1);
  }
  let z: Uint8Array;
  try {
    z = unzlibSync(concatBytes(idat), { out: new Uint8Array(need) });
  } catch (e) {
    throw bad(`image data does not inflate: ${(e as Error).message}`);
  }
  if (z.length < need) throw bad('image data is truncated');
  const channels: 1 | 3 = ctype === 0 || ctype === 4 ? 1 : 3;
  const out = new Uint8Array(w * h * channels);
  const maxV = (1 << Math.min(depth, 8)) - 1;
  const sample = (row: Uint8Array, x: number, s: number): number => {
    if (depth === 8) return row[x * spp + s];
    if (depth === 16) return row[2 * (x * spp + s)];
    const bit = (x * spp + s) * depth;
    return (row[bit >> 3] >> (8 - depth - (bit & 7))) & maxV;
  };
  const scale = (v: number) => (depth < 8 && ctype !== 3 ? Math.round((v * 255) / maxV) : v);
  let pos = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const pw = Math.ceil((w - x0) / dx), ph = Math.ceil((h - y0) / dy);
    if (pw <= 0 || ph <= 0) continue;
    const stride = Math.ceil((pw * bitsPP) / 8);
    const rows = unfilter(z, pos, stride, ph, Math.max(1, bitsPP >> 3), bad);
    pos += ph * (stride + 1);
    for (let j = 0; j < ph; j++) {
      const row = rows.subarray(j * stride, (j + 1) * stride);
      for (let i = 0; i < pw; i++) {
        const o = ((y0 + j * dy) * w + x0 + i * dx) * channels;
        if (ctype === 3) {
          const p = sample(row, i, 0) * 3;
          out[o] = palette![p]; out[o + 1] = palette![p + 1]; out[o + 2] = palette![p + 2];
        } else for (let c = 0; c < channels; c++) out[o + c] = scale(sample(row, i, c));
      }
    }
  }
  return { width: w, height: h, channels, data: out };
}

/** Undo the per-scanline PNG filters (None, Sub, Up, Average, Paeth). */
function unfilter(z: Uint8Array, pos: number, stride: number, h: number, bpp: number, bad: (s: string) => Error): Uint8Array {
  const out = new Uint8Array(stride * h);
  for (let y = 0; y < h; y++) {
    const f = z[pos + y * (stride + 1)];
    const src = pos + y * (stride + 1) + 1;
    const o = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[o + x - bpp] : 0;
      const up = y > 0 ? out[o - stride + x] : 0;
      const c = y > 0 && x >= bpp ? out[o - stride + x - bpp] : 0;
      let p: number;
      if (f === 0) p = 0;
      else if (f === 1) p = a;
      else if (f === 2) p = up;
      else if (f === 3) p = (a + up) >> 1;
      else if (f === 4) {
        const pa = Math.abs(up - c), pb = Math.abs(a - c), pc = Math.abs(a + up - 2 * c);
        p = pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
      } else throw bad(`unknown filter type ${f}`);
      out[o + x] = (z[src + x] + p) & 0xff;
    }
  }
  return out;
}
