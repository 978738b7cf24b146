/** The race's fairness: one SearchData per run from the same images and seed gives identical batches in identical order. */
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../src/core/config';
import type { PipelineData } from '../../src/data/pipeline';
import { syntheticData } from '../../src/data/synthetic';
import type { ArrayBatchSource } from '../../src/data/batches';
import { searchDataFor } from '../../src/worker/data';

describe('race data', () => {
  it('both runs see the same batches, epoch after epoch', () => {
    const raw = syntheticData({ count: 80, size: 8, classes: 4, channels: 3, seed: 1 });
    const cfg = makeConfig({ imageSize: 8, batch: 4, limit: 16, seed: 5, augment: true });
    const a = searchDataFor(raw, cfg), b = searchDataFor(raw, cfg);
    const src = (d: PipelineData, k: 'train' | 'valid') => d[k] as unknown as ArrayBatchSource;
    for (let i = 0; i < 12; i++) {
      for (const k of ['train', 'valid'] as const) {
        const x = src(a, k).nextArrays(), y = src(b, k).nextArrays();
        expect(y.x).toEqual(x.x);
        expect(y.y).toEqual(x.y);
      }
    }
    const c = searchDataFor(raw, { ...cfg, seed: 6 });
    expect(src(c, 'train').nextArrays().y).not.toEqual(src(searchDataFor(raw, cfg), 'train').nextArrays().y);
  });
});
