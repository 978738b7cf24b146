/**
 * CIFAR-10 / CIFAR-100 "binary version" decoders. A CIFAR-10 record is 1 label byte + 3,072
 * pixel bytes (1,024 R, 1,024 G, 1,024 B, row-major 32×32); a CIFAR-100 record has a coarse
 * then a fine label byte before the pixels. Output is NHWC.
 */
import type { ImageDataset } from './types';
import type { NamedBytes } from './archive';
import { DataError, fmtBytes, fmtInt } from './errors';
import { CIFAR100_COARSE, CIFAR100_FINE, CIFAR10_CLASSES } from './names';

export type CifarKind = 'cifar10' | 'cifar100';
export type Cifar100Label = 'fine' | 'coarse';

const SIDE = 32;
const PIXELS = SIDE * SIDE * 3;
export const CIFAR10_RECORD = 1 + PIXELS;
export const CIFAR100_RECORD = 2 + PIXELS;

/** Which CIFAR a .bin is, from its name (official names) or else from its record size. */
export function cifarKindOf(name: string, size: number): CifarKind | undefined {
  const base = name.split('/').pop()!.toLowerCase();
  if (/^(data_batch_\d+|test_batch)/.test(base)) return 'cifar10';
  if (/^(train|test)\.bin$/.test(base)) return 'cifar100';
  if (size > 0 && size % CIFAR10_RECORD === 0) return 'cifar10';
  if (size > 0 && size % CIFAR100_RECORD === 0) return 'cifar100';
  return undefined;
}

/** True for files the official archives put in the test set (test_batch.bin, test.bin). */
export function isCifarTestFile(name: string): boolean {
  return /^test(_batch)?/i.test(name.split('/').pop()!);
}

/** Decode one or more CIFAR .bin files (same kind) into one dataset, in file order. */
export function decodeCifar(
  files: NamedBytes[],
  kind: CifarKind,
  opts: { label?: Cifar100Label; classNames?: string[] } = {},
): ImageDataset {
  const label = opts.label ?? 'fine';
  const rec = kind === 'cifar10' ? CIFAR10_RECORD : CIFAR100_RECORD;
  const numClasses = kind === 'cifar10' ? 10 : label === 'fine' ? 100 : 20;
  const what = kind === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100';
  let n = 0;
  for (const f of files) n += checkRecords(f, rec, what);
  const images = new Uint8Array(n * PIXELS);
  const labels = new Int32Array(n);
  let i = 0;
  for (const f of files) {
    const b = f.bytes;
    for (let r = 0; r * rec < b.length; r++, i++) {
      const o = r * rec;
      const bad = kind === 'cifar10' ? b[o] >= 10 : b[o] >= 20 || b[o + 1] >= 100;
      if (bad) {
        const got = kind === 'cifar10' ? `label ${b[o]}` : `coarse label ${b[o]} and fine label ${b[o + 1]}`;
        const want = kind === 'cifar10' ? 'labels 0–9' : 'coarse labels 0–19 and fine labels 0–99';
        throw new DataError(`${f.name}: record ${fmtInt(r)} has ${got}, out of range: ${what} expects ${want}.`);
      }
      const y = kind === 'cifar10' || label === 'coarse' ? b[o] : b[o + 1];
      labels[i] = y;
      chwToHwc(b, o + rec - PIXELS, images, i * PIXELS);
    }
  }
  const classNames =
    opts.classNames ?? (kind === 'cifar10' ? CIFAR10_CLASSES : label === 'fine' ? CIFAR100_FINE : CIFAR100_COARSE);
  const suffix = kind === 'cifar100' ? `, ${label} labels` : '';
  return {
    name: `${what} (binary, ${fmtInt(n)} images${suffix})`,
    images, labels, height: SIDE, width: SIDE, channels: 3, numClasses, classNames: classNames.slice(),
  };
}

function checkRecords(f: NamedBytes, rec: number, what: string): number {
  const len = f.bytes.length;
  if (len === 0) throw new DataError(`${f.name} is empty (0 bytes): expected ${what} records of ${fmtInt(rec)} bytes.`);
  if (len % rec !== 0) {
    const whole = Math.floor(len / rec);
    throw new DataError(
      `${f.name} is ${fmtBytes(len)}, not a whole number of ${fmtInt(rec)}-byte ${what} records ` +
        `(${fmtInt(whole)} records + ${fmtInt(len - whole * rec)} extra bytes): the file is truncated or padded.`,
    );
  }
  return len / rec;
}

/** One 32×32×3 planar (CHW) image at src[so..] → interleaved (HWC) at dst[doff..]. */
export function chwToHwc(src: Uint8Array, so: number, dst: Uint8Array, doff: number): void {
  const plane = SIDE * SIDE;
  for (let p = 0; p < plane; p++) {
    dst[doff + 3 * p] = src[so + p];
    dst[doff + 3 * p + 1] = src[so + plane + p];
    dst[doff + 3 * p + 2] = src[so + 2 * plane + p];
  }
}
