import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeCifar } from '../../src/data/cifar';
import { decodeFiles } from '../../src/data/decode';
import { readDataFile } from '../../src/data/node';
import { makeCifar, makeTar, SHARED_CIFAR } from './helpers';

const TRAIN = path.join(SHARED_CIFAR, 'data_batch_1_first4000.bin');
const TEST = path.join(SHARED_CIFAR, 'test_batch_first1000.bin');

function counts(labels: Int32Array, k: number): number[] {
  const c = new Array(k).fill(0);
  for (const v of labels) c[v]++;
  return c;
}

describe('CIFAR-10 binary (shared official-layout files)', () => {
  it('decodes both files: counts per class, first labels, test routing', async () => {
    const d = await decodeFiles([await readDataFile(TRAIN), await readDataFile(TEST)]);
    expect(d.train.labels.length).toBe(4000);
    expect(d.test!.labels.length).toBe(1000);
    expect([d.train.height, d.train.width, d.train.channels, d.train.numClasses]).toEqual([32, 32, 3, 10]);
    expect(counts(d.train.labels, 10)).toEqual([396, 366, 420, 384, 422, 393, 414, 385, 407, 413]);
    expect(counts(d.test!.labels, 10)).toEqual([103, 89, 100, 103, 90, 86, 112, 102, 106, 109]);
    expect(Array.from(d.train.labels.subarray(0, 10))).toEqual([6, 9, 9, 4, 1, 1, 2, 7, 8, 3]);
    expect(d.train.classNames![6]).toBe('frog');
    expect(d.train.images.length).toBe(4000 * 3072);
  });

  it('round-trips an image to pixels: decoded HWC equals the raw CHW record re-laid', () => {
    const raw = new Uint8Array(readFileSync(TRAIN));
    const ds = decodeCifar([{ name: 'data_batch_1_first4000.bin', bytes: raw }], 'cifar10');
    for (const n of [0, 1234, 3999]) {
      const rec = raw.subarray(n * 3073, (n + 1) * 3073);
      expect(ds.labels[n]).toBe(rec[0]);
      const want = new Uint8Array(3072);
      for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) for (let c = 0; c < 3; c++) want[(y * 32 + x) * 3 + c] = rec[1 + c * 1024 + y * 32 + x];
      expect(ds.images.subarray(n * 3072, (n + 1) * 3072)).toEqual(want);
    }
    // a known pixel, by hand: image 0, row 5, column 7, green
    expect(ds.images[(5 * 32 + 7) * 3 + 1]).toBe(raw[1 + 1024 + 5 * 32 + 7]);
  });

  it('concatenates several batches in order', async () => {
    const a = { name: 'data_batch_1.bin', bytes: makeCifar([1, 2], () => 10) };
    const b = { name: 'data_batch_2.bin', bytes: makeCifar([3, 4, 5], () => 20) };
    const d = await decodeFiles([a, b]);
    expect(Array.from(d.train.labels)).toEqual([1, 2, 3, 4, 5]);
    expect(d.train.images[2 * 3072]).toBe(20);
    expect(d.test).toBeUndefined();
  });
});

describe('CIFAR-100 binary', () => {
  const labels: [number, number][] = [[4, 30], [19, 99], [0, 0], [7, 55]];
  const bytes = makeCifar(labels, (n, c, y, x) => (n * 50 + c * 20 + y + x) & 255);
  it('reads coarse and fine labels and pixels', async () => {
    const fine = await decodeFiles([{ name: 'train.bin', bytes }]);
    expect(fine.train.numClasses).toBe(100);
    expect(Array.from(fine.train.labels)).toEqual([30, 99, 0, 55]);
    expect(fine.train.classNames![30]).toBe('dolphin');
    const coarse = await decodeFiles([{ name: 'train.bin', bytes }], { cifar100Label: 'coarse' });
    expect(coarse.train.numClasses).toBe(20);
    expect(Array.from(coarse.train.labels)).toEqual([4, 19, 0, 7]);
    expect(coarse.train.classNames![4]).toBe('fruit_and_vegetables');
    // image 1, pixel (y=2, x=3), blue: 50 + 40 + 5
    expect(fine.train.images[3072 + (2 * 32 + 3) * 3 + 2]).toBe(95);
  });
});

describe('official .tar.gz archives, in memory', () => {
  it('CIFAR-10: batches to train, test_batch to test, names from batches.meta.txt', async () => {
    const names = 'a0\na1\na2\na3\na4\na5\na6\na7\na8\na9\n\n';
    const tar = makeTar([
      { name: 'cifar-10-batches-bin/batches.meta.txt', bytes: new TextEncoder().encode(names) },
      { name: 'cifar-10-batches-bin/data_batch_1.bin', bytes: makeCifar([0, 1, 2], (n) => n) },
      { name: 'cifar-10-batches-bin/data_batch_2.bin', bytes: makeCifar([3, 9], (n) => 100 + n) },
      { name: 'cifar-10-batches-bin/readme.html', bytes: new TextEncoder().encode('<html>') },
      { name: 'cifar-10-batches-bin/test_batch.bin', bytes: makeCifar([5, 6], () => 200) },
    ]);
    const d = await decodeFiles([{ name: 'cifar-10-binary.tar.gz', bytes: gzipSync(tar) }]);
    expect(Array.from(d.train.labels)).toEqual([0, 1, 2, 3, 9]);
    expect(Array.from(d.test!.labels)).toEqual([5, 6]);
    expect(d.train.images[4 * 3072]).toBe(101);
    expect(d.test!.images[0]).toBe(200);
    expect(d.train.classNames![9]).toBe('a9');
    expect(d.notes.join()).toMatch(/readme\.html/);
  });

  it('pax long names; a batch whose first bytes look like an IDX header is still CIFAR', async () => {
    const long = 'x'.repeat(120) + '/test_batch.bin';
    const pax = new TextEncoder().encode(`${long.length + 10} path=${long}\n`);
    const tricky = makeCifar([0, 1], (n, c, y, x) => (n === 0 && c === 0 && y === 0 && x < 3 ? [0, 8, 3][x] : 5));
    const d = await decodeFiles([{
      name: 'b.tar',
      bytes: makeTar([
        { name: 'data_batch_1.bin', bytes: makeCifar([7, 2], () => 1) },
        { name: 'PaxHeader', bytes: pax, type: 'x' },
        { name: 'truncated-name', bytes: tricky },
      ]),
    }]);
    expect(Array.from(d.train.labels)).toEqual([7, 2]);
    expect(Array.from(d.test!.labels)).toEqual([0, 1]);
    expect(Array.from(d.test!.images.subarray(0, 9))).toEqual([0, 5, 5, 8, 5, 5, 3, 5, 5]);
  });

  it('CIFAR-100: train.bin / test.bin in a plain .tar', async () => {
    const tar = makeTar([
      { name: 'cifar-100-binary/train.bin', bytes: makeCifar([[1, 2], [3, 4]], () => 7) },
      { name: 'cifar-100-binary/test.bin', bytes: makeCifar([[5, 6]], () => 8) },
    ]);
    const d = await decodeFiles([{ name: 'cifar-100-binary.tar', bytes: tar }]);
    expect(Array.from(d.train.labels)).toEqual([2, 4]);
    expect(Array.from(d.test!.labels)).toEqual([6]);
    expect(d.train.numClasses).toBe(100);
  });
});
