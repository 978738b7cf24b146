/**
 * SVHN "cropped digits" (train_32x32.mat, test_32x32.mat): MATLAB level-5 MAT files holding
 * X (32×32×3×N uint8, column-major) and y (N×1, labels 1–10 where 10 means digit 0). Reads the
 * MAT-5 layout (128-byte header, tagged elements, zlib-compressed elements via fflate).
 */
import type { ImageDataset } from './types';
import { inflateZlib } from './archive';
import { DataError, DEFAULT_LIMITS, fmtInt, type Limits } from './errors';
import { SVHN_CLASSES } from './names';

interface MatArray {
  dims: number[];
  data: Float64Array | Uint8Array;
}

const MI_MATRIX = 14, MI_COMPRESSED = 15;
const BYTES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8 };

export function isMat5(b: Uint8Array): boolean {
  return b.length >= 128 && String.fromCharCode(...b.subarray(0, 6)) === 'MATLAB';
}

/** Numeric variables of a MAT-5 file, by name. */
export function readMat5(name: string, b: Uint8Array, limits: Limits = DEFAULT_LIMITS): Map<string, MatArray> {
  const bad = (why: string) => new DataError(`${name} is not a readable MATLAB v5 .mat file (${why}): expected SVHN train_32x32.mat / test_32x32.mat.`);
  if (!isMat5(b)) throw bad('no MATLAB header');
  if (/MATLAB 7\.3/.test(String.fromCharCode(...b.subarray(0, 116)))) throw bad('it is MAT v7.3 / HDF5, which is not supported');
  const le = String.fromCharCode(b[126], b[127]) === 'IM';
  const vars = new Map<string, MatArray>();
  let unpacked = 0;
  const walk = (buf: Uint8Array, off: number, end: number, top: boolean) => {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    while (off + 8 <= end) {
      let type = dv.getUint32(off, le), n = dv.getUint32(off + 4, le), head = 8;
      if (type >>> 16) { n = type >>> 16; type &= 0xffff; head = 4; } // small data element
      const body = off + head;
      if (body + n > end) throw bad('an element runs past the end of the file (truncated?)');
      if (type === MI_COMPRESSED && top) {
        const z = inflateZlib(name, 'a compressed variable', buf.subarray(body, body + n), {
          ...limits, maxUnpackedBytes: limits.maxUnpackedBytes - unpacked,
        });
        unpacked += z.length;
        walk(z, 0, z.length, false);
      } else if (type === MI_MATRIX) {
        const m = readMatrix(buf.subarray(body, body + n), le, bad);
        if (m) vars.set(m.name, m.arr);
      }
      off = head === 4 ? off + 8 : body + (type === MI_COMPRESSED ? n : Math.ceil(n / 8) * 8);
    }
  };
  walk(b, 128, b.length, true);
  return vars;
}

function readMatrix(b: Uint8Array, le: boolean, bad: (s: string) => Error): { name: string; arr: MatArray } | undefined {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const subs: { type: number; at: number; n: number }[] = [];
  for (let off = 0; off + 8 <= b.length && subs.length < 5; ) {
    let type = dv.getUint32(off, le), n = dv.getUint32(off + 4, le), head = 8;
    if (type >>> 16) { n = type >>> 16; type &= 0xffff; head = 4; }
    subs.push({ type, at: off + head, n });
    off = head === 4 ? off + 8 : off + 8 + Math.ceil(n / 8) * 8;
  }
  if (subs.length < 4) return undefined;
  const cls = b[subs[0].at + (le ? 0 : 3)];
  if (cls < 6 || cls > 15) return undefined; // not numeric (cell, struct, char, sparse…)
  const dims = Array.from({ length: subs[1].n / 4 }, (_, i) => dv.getInt32(subs[1].at + 4 * i, le));
  const name = new TextDecoder().decode(b.subarray(subs[2].at, subs[2].at + subs[2].n));
  const { type, at, n } = subs[3];
  const size = BYTES[type];
  if (!size) throw bad(`variable ${name} has unsupported data type ${type}`);
  const count = n / size;
  if (count !== dims.reduce((a, d) => a * d, 1)) throw bad(`variable ${name} has ${count} values for dimensions ${dims.join('×')}`);
  if (type === 2) return { name, arr: { dims, data: b.subarray(at, at + n) } };
  const data = new Float64Array(count);
  const get: (o: number) => number = {
    1: (o: number) => dv.getInt8(o), 3: (o: number) => dv.getInt16(o, le), 4: (o: number) => dv.getUint16(o, le),
    5: (o: number) => dv.getInt32(o, le), 6: (o: number) => dv.getUint32(o, le), 7: (o: number) => dv.getFloat32(o, le),
    9: (o: number) => dv.getFloat64(o, le), 12: (o: number) => Number(dv.getBigInt64(o, le)), 13: (o: number) => Number(dv.getBigUint64(o, le)),
  }[type]!;
  for (let i = 0; i < count; i++) data[i] = get(at + i * size);
  return { name, arr: { dims, data } };
}

/** Decode an SVHN cropped-digits .mat file (labels 10 → digit 0). */
export function decodeSvhn(name: string, bytes: Uint8Array, limits: Limits = DEFAULT_LIMITS): ImageDataset {
  if (bytes.length === 0) throw new DataError(`${name} is empty (0 bytes): expected an SVHN .mat file.`);
  const vars = readMat5(name, bytes, limits);
  const X = vars.get('X'), y = vars.get('y');
  if (!X || !y) throw new DataError(`${name} has no X and y variables: expected SVHN cropped digits (X: 32×32×3×N uint8, y: N×1).`);
  const [h, w, c, n = 1] = X.dims;
  if (X.dims.length !== 4 || c !== 3) throw new DataError(`${name}: X is ${X.dims.join('×')}: expected H×W×3×N.`);
  if (y.data.length !== n) {
    throw new DataError(`${name}: X has ${fmtInt(n)} images but y has ${fmtInt(y.data.length)} labels: expected the same count.`);
  }
  const images = new Uint8Array(n * h * w * c);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = y.data[i];
    if (!(v >= 0 && v <= 10 && Number.isInteger(v))) {
      throw new DataError(`${name}: label ${v} at index ${fmtInt(i)} is out of range: SVHN expects labels 1–10 (10 = digit 0).`);
    }
    labels[i] = v % 10;
    for (let ch = 0; ch < c; ch++)
      for (let xx = 0; xx < w; xx++)
        for (let yy = 0; yy < h; yy++) images[((i * h + yy) * w + xx) * c + ch] = X.data[yy + h * (xx + w * (ch + c * i))];
  }
  return { name: `SVHN (${fmtInt(n)} images)`, images, labels, height: h, width: w, channels: c, numClasses: 10, classNames: SVHN_CLASSES.slice() };
}
