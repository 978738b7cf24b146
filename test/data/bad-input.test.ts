/** Every bad input: a clear message (what is wrong, what is expected) and the previous dataset stays. */
import { gzipSync, zipSync } from 'fflate';
import { beforeEach, describe, expect, it } from 'vitest';
import type { NamedBytes } from '../../src/data/archive';
import { checkFileSize, MAX_FILE_BYTES } from '../../src/data/errors';
import { DatasetStore } from '../../src/data/store';
import { syntheticData } from '../../src/data/synthetic';
import type { LoadedData } from '../../src/data/types';
import { encodePng, makeCifar, makeIdx, makeSvhnMat, makeTar } from './helpers';

const previous: LoadedData = syntheticData({ count: 20, size: 4 });
let store: DatasetStore;
beforeEach(() => {
  store = new DatasetStore(previous, { maxFileBytes: 1_000_000, maxUnpackedBytes: 2_000_000 });
});

async function rejects(files: NamedBytes[], pattern: RegExp): Promise<string> {
  const r = await store.load(files);
  expect(r.ok).toBe(false);
  const error = r.ok ? '' : r.error;
  expect(error).toMatch(pattern);
  expect(store.current).toBe(previous);
  expect(store.current!.train.labels.length).toBe(20);
  return error;
}

const png = encodePng(2, 2, new Array(12).fill(9));
const two = makeCifar([1, 2], () => 0);

describe('bad input keeps the previous dataset', () => {
  it('truncated CIFAR record', async () => {
    const msg = await rejects([{ name: 'data_batch_1.bin', bytes: two.subarray(0, 3073 + 3000) }], /data_batch_1\.bin/);
    expect(msg).toBe('data_batch_1.bin is 6,073 bytes, not a whole number of 3,073-byte CIFAR-10 records (1 records + 3,000 extra bytes): the file is truncated or padded.');
  });
  it('padded CIFAR record', async () => {
    await rejects([{ name: 'data_batch_1.bin', bytes: new Uint8Array([...two, 0, 0, 0]) }], /2 records \+ 3 extra bytes\): the file is truncated or padded/);
  });
  it('labels out of range (CIFAR-10 and CIFAR-100)', async () => {
    await rejects([{ name: 'data_batch_1.bin', bytes: makeCifar([3, 10], () => 0) }], /data_batch_1\.bin: record 1 has label 10, out of range: CIFAR-10 expects labels 0–9/);
    await rejects([{ name: 'train.bin', bytes: makeCifar([[1, 2], [3, 100]], () => 0) }], /train\.bin: record 1 has coarse label 3 and fine label 100, out of range: CIFAR-100 expects coarse labels 0–19 and fine labels 0–99/);
  });
  it('labels out of range (SVHN)', async () => {
    await rejects([{ name: 'train_32x32.mat', bytes: makeSvhnMat(new Uint8Array(3072), [32, 32, 3, 1], [11]) }], /label 11 at index 0 is out of range: SVHN expects labels 1–10/);
  });
  it('wrong IDX magic number', async () => {
    const imgs = makeIdx([1, 2, 2], [1, 2, 3, 4]);
    imgs[2] = 0x0d; // float data, not unsigned bytes
    await rejects(
      [{ name: 'train-images-idx3-ubyte', bytes: imgs }, { name: 'train-labels-idx1-ubyte', bytes: makeIdx([1], [0]) }],
      /train-images-idx3-ubyte: wrong IDX magic number 0x00000d03: expected 0x00000803 \(IDX images.*\) or 0x00000801 \(IDX labels\)/,
    );
  });
  it('images and labels of different counts', async () => {
    await rejects(
      [{ name: 'train-images-idx3-ubyte', bytes: makeIdx([3, 1, 1], [1, 2, 3]) }, { name: 'train-labels-idx1-ubyte', bytes: makeIdx([2], [0, 1]) }],
      /train-images-idx3-ubyte has 3 images but train-labels-idx1-ubyte has 2 labels: expected the same count/,
    );
    await rejects([{ name: 'train_32x32.mat', bytes: makeSvhnMat(new Uint8Array(3072), [32, 32, 3, 1], [1, 2]) }], /X has 1 images but y has 2 labels/);
  });
  it('IDX file shorter than its header says', async () => {
    await rejects(
      [{ name: 'train-images-idx3-ubyte', bytes: makeIdx([3, 2, 2], [1, 2, 3]) }, { name: 'train-labels-idx1-ubyte', bytes: makeIdx([3], [0, 1, 1]) }],
      /train-images-idx3-ubyte is 19 bytes but its IDX header \(3×2×2\) needs exactly 28 bytes: the file is truncated/,
    );
  });
  it('zip with no class folders', async () => {
    await rejects([{ name: 'flat.zip', bytes: zipSync({ '1.png': png, '2.png': png }) }], /flat\.zip contains no PNG or JPEG images in class folders \(2 files skipped, e\.g\. 1\.png: not inside a class folder\): expected a zip of class folders/);
  });
  it('zip with one class only', async () => {
    await rejects([{ name: 'one.zip', bytes: zipSync({ 'cat/1.png': png, 'cat/2.png': png }) }], /one\.zip has only one class folder \(cat\): expected a zip of class folders.*at least two classes/);
  });
  it('zip with only non-image files; a good zip with some reports them skipped', async () => {
    const txt = new TextEncoder().encode('x');
    await rejects([{ name: 'docs.zip', bytes: zipSync({ 'a/x.txt': txt, 'b/y.csv': txt }) }], /docs\.zip contains no PNG or JPEG images.*2 files skipped.*a\/x\.txt: a\/x\.txt is not a PNG or JPEG image/);
    const r = await store.load([{ name: 'ok.zip', bytes: zipSync({ 'a/1.png': png, 'b/1.png': png, 'b/x.txt': txt }) }]);
    expect(r.ok).toBe(true);
    expect(r.ok && r.dataset.notes[0]).toMatch(/skipped 1 files.*b\/x\.txt/);
    expect(store.current).not.toBe(previous);
  });
  it('corrupt gzip (flipped byte, truncated, bad header)', async () => {
    const gz = gzipSync(makeIdx([2], [0, 1]).fill(7, 12));
    const flipped = gz.slice();
    flipped[12] ^= 0xff;
    await rejects([{ name: 'train-labels-idx1-ubyte.gz', bytes: flipped }], /train-labels-idx1-ubyte\.gz is not a valid gzip file \(.+\): expected an intact \.gz/);
    const big = gzipSync(makeCifar([1, 2, 3], (_n, c, y, x) => (x * y + c) & 255));
    await rejects([{ name: 'cifar-10-binary.tar.gz', bytes: big.subarray(0, big.length - 100) }], /cifar-10-binary\.tar\.gz is not a valid gzip file/);
    await rejects([{ name: 'x.gz', bytes: new Uint8Array([0x1f, 0x8b, 9, 9, 9]) }], /x\.gz is not a valid gzip file \(no gzip header\)/);
  });
  it('corrupt zip', async () => {
    const zip = zipSync({ 'a/1.png': png, 'b/1.png': png });
    await rejects([{ name: 'bad.zip', bytes: zip.subarray(0, zip.length - 30) }], /bad\.zip is not a readable zip file \(.+\): expected a \.zip of class folders/);
  });
  it('file above the size limit (named, with its size and the limit)', async () => {
    await rejects([{ name: 'huge.bin', bytes: new Uint8Array(1_000_001) }], /^huge\.bin is 1,000,001 bytes, above the 1,000,000 bytes limit per file: use a smaller file/);
    expect(() => checkFileSize('cifar.tar.gz', 500 * 1024 * 1024)).toThrow(/cifar\.tar\.gz is 524,288,000 bytes \(500\.0 MB\), above the 419,430,400 bytes \(400\.0 MB\) limit per file/);
    expect(MAX_FILE_BYTES).toBe(400 * 1024 * 1024);
  });
  it('archive that unpacks above the budget', async () => {
    const tgz = gzipSync(makeTar([{ name: 'd/data_batch_1.bin', bytes: new Uint8Array(3073 * 700) }]));
    await rejects([{ name: 'big.tar.gz', bytes: tgz }], /big\.tar\.gz: unpacking big\.tar takes the archive to 2,\d{3},\d{3} bytes \(2\.\d MB\), above the 2,000,000 bytes \(1\.9 MB\) limit/);
  });
  it('empty file', async () => {
    await rejects([{ name: 'data_batch_1.bin', bytes: new Uint8Array(0) }], /^data_batch_1\.bin is empty \(0 bytes\): expected a dataset file\.$/);
  });
  it('unrecognized file, no files, mixed formats', async () => {
    await rejects([{ name: 'photo.txt', bytes: new TextEncoder().encode('hello') }], /photo\.txt: unrecognized format: expected CIFAR-10\/100 binary/);
    await rejects([], /No files given/);
    await rejects([{ name: 'data_batch_1.bin', bytes: two }, { name: 'train-labels-idx1-ubyte', bytes: makeIdx([1], [0]) }], /mix formats \(cifar and idx\)/);
  });
  it('a failing producer (e.g. a built-in fetch) keeps the dataset too', async () => {
    const r = await store.use('mnist', async () => { throw new Error('network down'); });
    expect(r).toEqual({ ok: false, error: 'Could not load mnist: network down.' });
    expect(store.current).toBe(previous);
    const bad = { ...previous, train: { ...previous.train, labels: previous.train.labels.map(() => 0) } };
    expect(await store.use('one class', () => bad)).toEqual({ ok: false, error: expect.stringMatching(/has only one class \(label 0\): expected at least two classes/) });
    expect(store.current).toBe(previous);
  });
  it('a good load after all that replaces the dataset', async () => {
    const r = await store.load([{ name: 'data_batch_1.bin', bytes: two }]);
    expect(r.ok).toBe(true);
    expect(Array.from(store.current!.train.labels)).toEqual([1, 2]);
  });
});
