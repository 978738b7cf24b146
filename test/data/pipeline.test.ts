import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { augmentInto, cropPadding } from '../../src/data/augment';
import type { ArrayBatchSource } from '../../src/data/batches';
import { makeSearchData, type PipelineOptions } from '../../src/data/pipeline';
import { resizeImage } from '../../src/data/resize';
import type { ImageDataset } from '../../src/data/types';

/** n gray 2×2 images; every pixel of image i is i (so ids survive resizing), label i % k. */
function idDataset(n: number, k = 4, side = 2): ImageDataset {
  const images = new Uint8Array(n * side * side);
  for (let i = 0; i < n; i++) images.fill(i, i * side * side, (i + 1) * side * side);
  return { name: 'ids', images, labels: Int32Array.from({ length: n }, (_, i) => i % k), height: side, width: side, channels: 1, numClasses: k };
}

const OPTS: PipelineOptions = { imageSize: 2, batch: 8, limit: 0, augment: false };
const src = (s: unknown) => s as ArrayBatchSource;

/** Image ids of one epoch of a source, in batch order (undoing the normalization). */
function epochIds(s: ArrayBatchSource, mean: number, std: number): number[] {
  const ids: number[] = [];
  for (let b = 0; b < s.batchesPerEpoch; b++) {
    const { x, n } = s.nextArrays();
    for (let i = 0; i < n; i++) ids.push(Math.round((x[i * 4] * std + mean) * 255) + 0); // + 0: no -0
  }
  return ids;
}

describe('split and order', () => {
  it('halves of the shuffled training set, disjoint, covering everything', () => {
    const d = makeSearchData(idDataset(100), undefined, OPTS, new Rng(1));
    expect([d.train.size, d.valid.size]).toEqual([50, 50]);
    const tr = epochIds(src(d.train), d.mean[0], d.std[0]), va = epochIds(src(d.valid), d.mean[0], d.std[0]);
    expect(new Set([...tr, ...va]).size).toBe(100);
    expect(tr.slice(0, 10)).not.toEqual(Array.from({ length: 10 }, (_, i) => i)); // shuffled
  });
  it('same seed → same split, order and augmentation; different seed → different', () => {
    const ds = idDataset(60, 4, 8);
    const opts = { ...OPTS, imageSize: 8, augment: true };
    const run = (seed: number) => {
      const d = makeSearchData(ds, undefined, opts, new Rng(seed));
      return [src(d.train).nextArrays().x, src(d.train).nextArrays().x, src(d.valid).nextArrays().x].map((a) => Array.from(a));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)[0]).not.toEqual(run(8)[0]);
    expect(run(7)[2]).not.toEqual(run(8)[2]);
  });
  it('limit caps each split; validFraction moves the cut', () => {
    const d = makeSearchData(idDataset(100), idDataset(30), { ...OPTS, limit: 20 }, new Rng(0));
    expect([d.train.size, d.valid.size, d.test!.size]).toEqual([20, 20, 20]);
    const e = makeSearchData(idDataset(100), undefined, { ...OPTS, validFraction: 0.2 }, new Rng(0));
    expect([e.train.size, e.valid.size]).toEqual([80, 20]);
  });
  it('keeps the last partial batch and reshuffles each epoch; the test split stays in file order', () => {
    const d = makeSearchData(idDataset(20), idDataset(10), { ...OPTS, batch: 4 }, new Rng(3));
    const s = src(d.train);
    expect(s.batchesPerEpoch).toBe(3);
    expect([1, 2, 3, 4].map(() => s.nextArrays().n)).toEqual([4, 4, 2, 4]);
    const e1 = epochIds(src(makeSearchData(idDataset(20), undefined, OPTS, new Rng(3)).train), d.mean[0], d.std[0]);
    expect(e1.length).toBe(10);
    const t = src(d.test);
    expect(epochIds(t, d.mean[0], d.std[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const b = d.test!.next();
    expect(b.x.shape).toEqual([4, 2, 2, 1]);
    expect(b.y.dtype).toBe('int32');
    expect(Array.from(b.y.dataSync())).toEqual([0, 1, 2, 3]);
    b.x.dispose(); b.y.dispose();
  });
  it('the epoch order changes between epochs', () => {
    const d = makeSearchData(idDataset(40), undefined, OPTS, new Rng(5));
    const s = src(d.train);
    expect(epochIds(s, d.mean[0], d.std[0])).not.toEqual(epochIds(s, d.mean[0], d.std[0]));
  });
});

describe('normalization', () => {
  it('per-channel mean/std of the train split, applied to all splits', () => {
    const n = 40, images = new Uint8Array(n * 3);
    for (let i = 0; i < n; i++) images.set([i * 5, 100, 255 - i], i * 3);
    const ds: ImageDataset = { name: 'rgb', images, labels: Int32Array.from({ length: n }, (_, i) => i % 2), height: 1, width: 1, channels: 3, numClasses: 2 };
    const d = makeSearchData(ds, undefined, { ...OPTS, imageSize: 1, batch: 100 }, new Rng(2));
    const { x, n: m } = src(d.train).nextArrays();
    expect(m).toBe(20);
    // recover the raw train values and recompute the stats by hand
    for (let c = 0; c < 3; c++) {
      const raw = Array.from({ length: m }, (_, i) => x[i * 3 + c] * d.std[c] + d.mean[c]);
      const mean = raw.reduce((a, v) => a + v, 0) / m;
      const std = Math.sqrt(raw.reduce((a, v) => a + (v - mean) ** 2, 0) / m);
      expect(d.mean[c]).toBeCloseTo(mean, 6);
      const z = Array.from({ length: m }, (_, i) => x[i * 3 + c]);
      expect(z.reduce((a, v) => a + v, 0) / m).toBeCloseTo(0, 5);
      if (c !== 1) expect(d.std[c]).toBeCloseTo(std, 6);
      if (c !== 1) expect(Math.sqrt(z.reduce((a, v) => a + v * v, 0) / m)).toBeCloseTo(1, 5);
    }
    expect(d.mean[1]).toBeCloseTo(100 / 255, 6);
    expect(d.std[1]).toBe(1e-6); // constant channel: floored std
    // the valid split uses the train statistics, not its own
    const v = src(d.valid).nextArrays();
    const vraw = Array.from({ length: v.n }, (_, i) => Math.round((v.x[i * 3] * d.std[0] + d.mean[0]) * 255));
    expect(vraw.every((r) => r % 5 === 0 && r >= 0 && r < 200)).toBe(true);
  });
});

describe('down-scaling', () => {
  it('area averaging when the size divides (4→2), bilinear otherwise (3→2)', () => {
    const img = [0, 2, 10, 20, 4, 6, 30, 40, 1, 1, 1, 1, 1, 1, 1, 3];
    const out = new Float32Array(4);
    resizeImage(img, 0, 4, 4, 1, out, 0, 2, 2);
    expect(Array.from(out)).toEqual([3, 25, 1, 1.5]);
    const three = [0, 3, 6, 30, 33, 36, 60, 63, 66];
    const b = new Float32Array(4);
    resizeImage(three, 0, 3, 3, 1, b, 0, 2, 2);
    // half-pixel centers: output (0,0) samples source (0.25, 0.25)
    expect(b[0]).toBeCloseTo(0.25 * 30 + 0.25 * 3, 5);
    expect(b[3]).toBeCloseTo(66 - 0.25 * 30 - 0.25 * 3, 5);
  });
  it('the pipeline resizes 32→16 by 2×2 means, channel by channel', () => {
    const images = new Uint8Array(2 * 32 * 32 * 3);
    for (let p = 0; p < 2 * 1024; p++) images.set([(p % 32) * 4, 7, p % 2 ? 200 : 0], p * 3);
    const ds: ImageDataset = { name: 'big', images, labels: Int32Array.from([0, 1]), height: 32, width: 32, channels: 3, numClasses: 2 };
    const d = makeSearchData(ds, undefined, { ...OPTS, imageSize: 16, batch: 1 }, new Rng(0));
    const { x } = src(d.train).nextArrays();
    expect(x.length).toBe(16 * 16 * 3);
    const px = (i: number, c: number) => (x[i * 3 + c] * d.std[c] + d.mean[c]) * 255;
    expect(px(5, 0)).toBeCloseTo((40 + 44) / 2, 3);
    expect(px(5, 1)).toBeCloseTo(7, 3);
    expect(px(5, 2)).toBeCloseTo(100, 3);
  });
});

describe('class subset and per-class cap', () => {
  it('keeps only the chosen classes, relabelled in the given order', () => {
    const d = makeSearchData(idDataset(40, 4), idDataset(8, 4), { ...OPTS, classes: [3, 1], batch: 100 }, new Rng(0));
    expect(d.numClasses).toBe(2);
    expect(d.train.size + d.valid.size).toBe(20);
    const ids = epochIds(src(d.train), d.mean[0], d.std[0]);
    expect(ids.every((i) => i % 4 === 3 || i % 4 === 1)).toBe(true);
    const { y } = src(d.train).nextArrays();
    const { x: tx, y: ty } = src(d.test).nextArrays();
    expect(Array.from(ty)).toEqual([1, 0, 1, 0]);
    expect(Array.from(tx).map((v) => Math.round((v * d.std[0] + d.mean[0]) * 255)).filter((_, i) => i % 4 === 0)).toEqual([1, 3, 5, 7]);
    expect(new Set(y)).toEqual(new Set([0, 1]));
  });
  it('caps images per class (first in file order)', () => {
    const d = makeSearchData(idDataset(100, 4), undefined, { ...OPTS, perClassCap: 5, batch: 100 }, new Rng(0));
    const all = [...epochIds(src(d.train), d.mean[0], d.std[0]), ...epochIds(src(d.valid), d.mean[0], d.std[0])].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
  it('rejects bad class lists with a clear message', () => {
    expect(() => makeSearchData(idDataset(10), undefined, { ...OPTS, classes: [2] }, new Rng(0))).toThrow(/at least two distinct class ids in 0–3/);
    expect(() => makeSearchData(idDataset(10), undefined, { ...OPTS, classes: [1, 9] }, new Rng(0))).toThrow(/classes \[1,9\]/);
  });
});

describe('augmentation', () => {
  it('pad = size/8; each output is the image shifted within ±pad (black border) and maybe flipped', () => {
    expect([32, 16, 28, 8].map(cropPadding)).toEqual([4, 2, 4, 1]);
    const S = 8, pad = 1, srcImg = new Float32Array(S * S).map((_, i) => i + 1), padV = Float32Array.of(-5);
    const rng = new Rng(11);
    const seen = new Set<string>();
    for (let t = 0; t < 60; t++) {
      const out = new Float32Array(S * S);
      augmentInto(srcImg, 0, out, 0, S, 1, pad, padV, rng);
      let match = '';
      for (const flip of [false, true])
        for (let dy = -pad; dy <= pad; dy++)
          for (let dx = -pad; dx <= pad; dx++) {
            const ok = Array.from(out).every((v, i) => {
              const y = Math.floor(i / S) + dy, x = (flip ? S - 1 - (i % S) : i % S) + dx;
              return v === (y < 0 || y >= S || x < 0 || x >= S ? -5 : srcImg[y * S + x]);
            });
            if (ok) match = `${flip}:${dy}:${dx}`;
          }
      expect(match).not.toBe('');
      seen.add(match);
    }
    expect(seen.size).toBeGreaterThan(10); // all 18 variants are reachable; 60 draws see most
  });
  it('train/valid batches are augmented, the test split is not', () => {
    const ds = idDataset(16, 2, 8);
    ds.images = ds.images.map((v) => v + 1); // no black pixels of its own
    const a = makeSearchData(ds, ds, { ...OPTS, imageSize: 8, augment: true, batch: 16 }, new Rng(4));
    const b = makeSearchData(ds, ds, { ...OPTS, imageSize: 8, augment: false, batch: 16 }, new Rng(4));
    const border = (x: Float32Array) => x.some((v) => Math.abs(v - (-a.mean[0] / a.std[0])) < 1e-6);
    expect(border(src(a.train).nextArrays().x)).toBe(true);
    expect(border(src(b.train).nextArrays().x)).toBe(false);
    expect(Array.from(src(a.test).nextArrays().x)).toEqual(Array.from(src(b.test).nextArrays().x));
  });
});
