/**
 * IDX decoder (MNIST / Fashion-MNIST format, raw or .gz): big-endian magic
 * 0x00 0x00 <type> <ndim>, ndim big-endian uint32 sizes, then the data. Only unsigned bytes
 * (type 0x08) are image data: images are N×H×W (or N×H×W×C), labels are N.
 */
import type { ImageDataset } from './types';
import { gunzip, isGzip, type NamedBytes } from './archive';
import { DataError, DEFAULT_LIMITS, fmtBytes, fmtInt, type Limits } from './errors';
import { FASHION_CLASSES, MNIST_CLASSES } from './names';

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const hex = (v: number) => '0x' + v.toString(16).padStart(8, '0');
const EXPECTED = `expected ${hex(IDX_IMAGES_MAGIC)} (IDX images, unsigned bytes N×H×W) or ${hex(IDX_LABELS_MAGIC)} (IDX labels)`;

/** True when the bytes are an unsigned-byte IDX file whose header matches its length exactly. */
export function looksLikeIdx(b: Uint8Array): boolean {
  if (b.length < 8 || b[0] !== 0 || b[1] !== 0 || b[2] !== 0x08 || b[3] < 1 || b[3] > 4) return false;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const head = 4 + 4 * b[3];
  let n = 1;
  for (let i = 0; i < b[3] && 8 + 4 * i <= b.length; i++) n *= dv.getUint32(4 + 4 * i);
  return head + n === b.length;
}

/** Parse one IDX file (gunzipped first if it is gzip). */
export function parseIdx(f: NamedBytes, limits: Limits = DEFAULT_LIMITS): IdxArray {
  const b = isGzip(f.bytes) ? gunzip(f.name, f.bytes, limits) : f.bytes;
  if (b.length === 0) throw new DataError(`${f.name} is empty (0 bytes): expected an IDX file.`);
  if (b.length < 8) throw new DataError(`${f.name} is ${fmtBytes(b.length)}, too short for an IDX header: ${EXPECTED}.`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magic = dv.getUint32(0);
  const ndim = b[3];
  if (b[0] !== 0 || b[1] !== 0 || b[2] !== 0x08 || ndim < 1 || ndim > 4) {
    throw new DataError(`${f.name}: wrong IDX magic number ${hex(magic)}: ${EXPECTED}.`);
  }
  const head = 4 + 4 * ndim;
  if (b.length < head) throw new DataError(`${f.name} is truncated inside its IDX header (${ndim} dimensions need ${head} bytes).`);
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(dv.getUint32(4 + 4 * i));
  const want = head + dims.reduce((a, d) => a * d, 1);
  if (b.length !== want) {
    const what = b.length < want ? 'truncated' : 'padded';
    throw new DataError(
      `${f.name} is ${fmtBytes(b.length)} but its IDX header (${dims.join('×')}) needs exactly ${fmtBytes(want)}: the file is ${what}.`,
    );
  }
  return { dims, data: b.subarray(head) };
}

/** Decode an IDX images file and its labels file into one dataset. */
export function decodeIdx(
  imagesFile: NamedBytes,
  labelsFile: NamedBytes,
  opts: { limits?: Limits; name?: string; classNames?: string[]; numClasses?: number } = {},
): ImageDataset {
  const im = parseIdx(imagesFile, opts.limits);
  const lb = parseIdx(labelsFile, opts.limits);
  if (im.dims.length === 1) {
    throw new DataError(`${imagesFile.name} is an IDX labels file (1 dimension): expected the images file (N×H×W) here.`);
  }
  if (lb.dims.length !== 1) {
    throw new DataError(`${labelsFile.name} is an IDX images file (${lb.dims.join('×')}): expected the labels file (N) here.`);
  }
  const [n, h, w, c = 1] = im.dims;
  if (c > 4) throw new DataError(`${imagesFile.name}: ${c} channels per pixel; expected 1–4.`);
  if (n !== lb.dims[0]) {
    throw new DataError(
      `${imagesFile.name} has ${fmtInt(n)} images but ${labelsFile.name} has ${fmtInt(lb.dims[0])} labels: ` +
        `expected the same count (a matching images/labels pair).`,
    );
  }
  if (n === 0) throw new DataError(`${imagesFile.name} holds 0 images: expected at least one.`);
  const labels = Int32Array.from(lb.data);
  const maxLabel = labels.reduce((m, v) => Math.max(m, v), 0);
  if (opts.numClasses !== undefined && maxLabel >= opts.numClasses) {
    const at = labels.findIndex((v) => v >= opts.numClasses!);
    throw new DataError(
      `${labelsFile.name}: label ${labels[at]} at index ${fmtInt(at)} is out of range: expected labels 0–${opts.numClasses - 1}.`,
    );
  }
  const numClasses = opts.numClasses ?? maxLabel + 1;
  const fashion = /fashion/i.test(imagesFile.name + labelsFile.name);
  const base = fashion ? FASHION_CLASSES : MNIST_CLASSES;
  const classNames = opts.classNames ?? (numClasses <= base.length ? base.slice(0, numClasses) : undefined);
  return {
    name: opts.name ?? `${fashion ? 'Fashion-MNIST' : 'IDX'} (${fmtInt(n)} images, ${h}×${w})`,
    images: im.data.slice(), labels, height: h, width: w, channels: c, numClasses, classNames,
  };
}
