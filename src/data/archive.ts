/**
 * Archives: gzip (fflate, checked against the gzip trailer's CRC-32 and size), tar (the
 * ustar layout is plain 512-byte blocks, read here) and zip (fflate). All within the limits.
 */
import { Gunzip, gunzipSync, Unzlib, unzipSync } from 'fflate';
import { checkUnpacked, DataError, DEFAULT_LIMITS, fmtBytes, type Limits } from './errors';

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}
export function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6);
}
/** A ustar header: "ustar" at offset 257 of the first block. */
export function isTar(b: Uint8Array): boolean {
  return b.length >= 512 && String.fromCharCode(...b.subarray(257, 262)) === 'ustar';
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const u32le = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

/** Gunzip one file; a corrupt or truncated stream throws a DataError naming the file. */
export function gunzip(name: string, bytes: Uint8Array, limits: Limits = DEFAULT_LIMITS): Uint8Array {
  const corrupt = (why: string) =>
    new DataError(`${name} is not a valid gzip file (${why}): expected an intact .gz (re-download or re-compress it).`);
  if (!isGzip(bytes) || bytes.length < 18) throw corrupt('no gzip header');
  const size = u32le(bytes, bytes.length - 4);
  let out: Uint8Array;
  try {
    // the trailer's size is only a hint (a truncated file has garbage there): above the budget,
    // inflate in steps, which stops at the budget (really too big) or at the damage (corrupt)
    out = size <= limits.maxUnpackedBytes ? gunzipSync(bytes) : gunzipBounded(name, bytes, limits);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw corrupt((e as Error).message);
  }
  if (out.length !== size) throw corrupt(`inflated to ${fmtBytes(out.length)}, the trailer says ${fmtBytes(size)}`);
  if (crc32(out) !== u32le(bytes, bytes.length - 8)) throw corrupt('CRC-32 mismatch');
  return out;
}

/** Regular files of a tar (ustar/GNU; long GNU names supported). */
export function untar(name: string, bytes: Uint8Array, limits: Limits = DEFAULT_LIMITS): NamedBytes[] {
  const files: NamedBytes[] = [];
  const dec = new TextDecoder();
  const str = (o: number, n: number) => dec.decode(bytes.subarray(o, o + n)).replace(/\0.*$/s, '');
  let off = 0;
  let total = 0;
  let longName: string | null = null;
  while (off + 512 <= bytes.length) {
    if (bytes.subarray(off, off + 512).every((v) => v === 0)) break; // end-of-archive block
    const size = parseInt(str(off + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(bytes[off + 156]);
    if (!Number.isFinite(size) || size < 0) throw new DataError(`${name}: corrupt tar header at byte ${off}: expected an octal size.`);
    const start = off + 512;
    if (start + size > bytes.length) {
      throw new DataError(`${name} is truncated: a member needs ${fmtBytes(size)} at byte ${start}, the file ends at ${bytes.length}.`);
    }
    const body = bytes.subarray(start, start + size);
    if (type === 'L') longName = dec.decode(body).replace(/\0.*$/s, '');
    else if (type === 'x') longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(dec.decode(body))?.[1] ?? null; // pax
    else if (type === '0' || type === '\0') {
      const prefix = str(off + 345, 155);
      const n = longName ?? (prefix ? `${prefix}/${str(off, 100)}` : str(off, 100));
      total += size;
      checkUnpacked(name, n, total, limits);
      files.push({ name: n, bytes: body });
      longName = null;
    } else longName = null;
    off = start + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** Zip members (directories and macOS "__MACOSX/" / dot-files left out), within the budget. */
export function unzip(name: string, bytes: Uint8Array, limits: Limits = DEFAULT_LIMITS): NamedBytes[] {
  let total = 0;
  let raw: Record<string, Uint8Array>;
  try {
    raw = unzipSync(bytes, {
      filter: (f) => {
        if (f.name.endsWith('/') || isHidden(f.name)) return false;
        total += f.originalSize;
        checkUnpacked(name, f.name, total, limits);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`${name} is not a readable zip file (${(e as Error).message}): expected a .zip of class folders.`);
  }
  return Object.entries(raw).map(([n, b]) => ({ name: n, bytes: b }));
}

function isHidden(path: string): boolean {
  return path.split('/').some((s) => s.startsWith('.') || s === '__MACOSX');
}

function gunzipBounded(name: string, bytes: Uint8Array, limits: Limits): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const g = new Gunzip((c) => {
    total += c.length;
    checkUnpacked(name, name.replace(/\.(gz|tgz)$/i, ''), total, limits);
    chunks.push(c);
  });
  for (let o = 0; o < bytes.length; o += STEP) g.push(bytes.subarray(o, o + STEP), o + STEP >= bytes.length);
  return concatBytes(chunks);
}

const STEP = 1 << 20;

/** Inflate a zlib stream of unknown size in 1 MB steps, stopping at the unpacked budget. */
export function inflateZlib(name: string, what: string, bytes: Uint8Array, limits: Limits = DEFAULT_LIMITS): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const z = new Unzlib((c) => {
    total += c.length;
    checkUnpacked(name, what, total, limits);
    chunks.push(c);
  });
  try {
    if (bytes.length === 0) throw new Error('empty stream');
    for (let o = 0; o < bytes.length; o += STEP) z.push(bytes.subarray(o, o + STEP), o + STEP >= bytes.length);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`${name}: ${what} is corrupt (${(e as Error).message}): expected intact zlib data.`);
  }
  return concatBytes(chunks);
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
