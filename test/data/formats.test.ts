import { gzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeFiles } from '../../src/data/decode';
import { decodeClassZip } from '../../src/data/folders';
import { decodePng } from '../../src/data/png';
import { decodeSvhn } from '../../src/data/svhn';
import { encodePng, makeIdx, makeSvhnMat } from './helpers';

const ramp = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe('IDX (MNIST layout)', () => {
  const imgs = makeIdx([3, 2, 2], [0, 1, 2, 3, 10, 11, 12, 13, 250, 251, 252, 253]);
  const lbls = makeIdx([3], [7, 0, 9]);
  it('raw: images + labels, paired and split by name', async () => {
    const d = await decodeFiles([
      { name: 'train-images-idx3-ubyte', bytes: imgs },
      { name: 'train-labels-idx1-ubyte', bytes: lbls },
      { name: 't10k-images-idx3-ubyte', bytes: makeIdx([1, 2, 2], [5, 6, 7, 8]) },
      { name: 't10k-labels-idx1-ubyte', bytes: makeIdx([1], [3]) },
    ]);
    expect([d.train.height, d.train.width, d.train.channels, d.train.numClasses]).toEqual([2, 2, 1, 10]);
    expect(Array.from(d.train.labels)).toEqual([7, 0, 9]);
    expect(Array.from(d.train.images.subarray(4, 8))).toEqual([10, 11, 12, 13]);
    expect(Array.from(d.test!.images)).toEqual([5, 6, 7, 8]);
    expect(Array.from(d.test!.labels)).toEqual([3]);
  });
  it('.gz files, any order', async () => {
    const d = await decodeFiles([
      { name: 'train-labels-idx1-ubyte.gz', bytes: gzipSync(lbls) },
      { name: 'train-images-idx3-ubyte.gz', bytes: gzipSync(imgs) },
    ]);
    expect(Array.from(d.train.labels)).toEqual([7, 0, 9]);
    expect(d.train.images[11]).toBe(253);
  });
});

describe('PNG decoder', () => {
  it('RGB with all five filter types', () => {
    const px = ramp(5 * 4 * 3, (i) => (i * 37 + (i >> 3) * 11) & 255);
    const img = decodePng('a.png', encodePng(5, 4, px));
    expect([img.width, img.height, img.channels]).toEqual([5, 4, 3]);
    expect(Array.from(img.data)).toEqual(px);
    const flat = ramp(6 * 5 * 3, (i) => ((i >> 4) & 1) * 100 + ((i >> 5) & 1) * 50); // runs of equal values
    expect(Array.from(decodePng('b.png', encodePng(6, 5, flat)).data)).toEqual(flat);
  });
  it('RGBA drops alpha, gray+alpha → 1 channel, 16-bit keeps the high byte', () => {
    const rgba = ramp(3 * 2 * 4, (i) => (i * 29) & 255);
    expect(Array.from(decodePng('a.png', encodePng(3, 2, rgba, { colorType: 6 })).data)).toEqual(rgba.filter((_, i) => i % 4 !== 3));
    const ga = [10, 255, 20, 0, 30, 128, 40, 1];
    const g = decodePng('g.png', encodePng(2, 2, ga, { colorType: 4 }));
    expect([g.channels, ...g.data]).toEqual([1, 10, 20, 30, 40]);
    const g16 = decodePng('g16.png', encodePng(2, 1, [0x1234, 0xfe01], { colorType: 0, depth: 16 }));
    expect(Array.from(g16.data)).toEqual([0x12, 0xfe]);
  });
  it('palette and Adam7 interlacing', () => {
    const pal = decodePng('p.png', encodePng(3, 1, [2, 0, 1], { colorType: 3, palette: [[1, 2, 3], [4, 5, 6], [7, 8, 9]] }));
    expect(Array.from(pal.data)).toEqual([7, 8, 9, 1, 2, 3, 4, 5, 6]);
    const px = ramp(11 * 9 * 3, (i) => (i * 7) & 255);
    const il = decodePng('i.png', encodePng(11, 9, px, { interlace: true }));
    expect(Array.from(il.data)).toEqual(px);
  });
});

/** A w×h RGB PNG filled with one color. */
const solid = (w: number, h: number, rgb: number[]) => encodePng(w, h, ramp(w * h * 3, (i) => rgb[i % 3]));

describe('zip of class folders', () => {
  it('classes from folders, resized to the search size, test folder, non-images skipped and counted', async () => {
    const zip = zipSync({
      'pets/cat/1.png': solid(8, 8, [200, 0, 0]),
      'pets/cat/2.png': solid(16, 12, [100, 0, 0]),
      'pets/dog/a.png': solid(4, 4, [0, 0, 50]),
      'pets/dog/notes.txt': new TextEncoder().encode('hello'),
      'pets/dog/broken.png': new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0]),
      'README.md': new TextEncoder().encode('top level'),
      '__MACOSX/pets/cat/._1.png': new Uint8Array([1, 2, 3]),
      'test/dog/t.png': solid(4, 4, [0, 9, 0]),
    });
    const r = await decodeClassZip('pets.zip', zip, { imageSize: 4 });
    expect(r.train.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(r.train.labels)).toEqual([0, 0, 1]);
    expect([r.train.height, r.train.width, r.train.channels]).toEqual([4, 4, 3]);
    expect(Array.from(r.train.images.subarray(0, 3))).toEqual([200, 0, 0]);
    expect(Array.from(r.train.images.subarray(48, 51))).toEqual([100, 0, 0]);
    expect(Array.from(r.test!.labels)).toEqual([1]);
    expect(Array.from(r.test!.images.subarray(0, 3))).toEqual([0, 9, 0]);
    expect(r.skipped.map((s) => s.name).sort()).toEqual(['README.md', 'pets/dog/broken.png', 'pets/dog/notes.txt']);
    const d = await decodeFiles([{ name: 'pets.zip', bytes: zip }], { imageSize: 4 });
    expect(d.notes[0]).toMatch(/^skipped 3 files/);
  });
  it('all-gray images give one channel', async () => {
    const g = (v: number) => encodePng(2, 2, [v, v, v, v], { colorType: 0 });
    const r = await decodeClassZip('g.zip', zipSync({ 'a/1.png': g(5), 'b/1.png': g(250) }), { imageSize: 2 });
    expect(r.train.channels).toBe(1);
    expect(Array.from(r.train.images)).toEqual([5, 5, 5, 5, 250, 250, 250, 250]);
  });
});

describe('SVHN cropped digits (.mat, MAT-5)', () => {
  const n = 2, X = new Uint8Array(32 * 32 * 3 * n);
  // column-major X(r, c, ch, i) = r + 2c + 50ch + 100i (mod 256)
  for (let i = 0; i < n; i++) for (let ch = 0; ch < 3; ch++) for (let c = 0; c < 32; c++) for (let r = 0; r < 32; r++)
    X[r + 32 * (c + 32 * (ch + 3 * i))] = (r + 2 * c + 50 * ch + 100 * i) & 255;
  for (const compress of [true, false]) {
    it(`reads X/y (${compress ? 'compressed' : 'plain'}), label 10 → 0`, () => {
      const d = decodeSvhn('train_32x32.mat', makeSvhnMat(X, [32, 32, 3, n], [10, 3], compress));
      expect(Array.from(d.labels)).toEqual([0, 3]);
      // image 1, row 4, column 5, channel 2
      expect(d.images[3072 + (4 * 32 + 5) * 3 + 2]).toBe((4 + 10 + 100 + 100) & 255);
    });
  }
});
