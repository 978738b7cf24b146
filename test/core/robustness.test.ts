import { beforeAll, describe, expect, it } from 'vitest';
import { Search } from '../../src/core/search';
import { tinyData, useCpu } from './helpers';

describe('degenerate cells give no NaN', () => {
  beforeAll(useCpu);
  it.each(['lambda', 'darts', 'darts2'] as const)('all-none NB201 cells (%s)', async (method) => {
    const s = new Search({ C: 2, batch: 4, ops: 'none', method, lambdaRamp: false }, tinyData(0));
    for (let i = 0; i < 2; i++) {
      const m = await s.step();
      expect(m.nonFinite).toBeNull();
      expect(m.trainCorr).toBe(0);
      expect(m.epsilon).toBe(0);
      expect(Array.from(m.cellGradNormsTrain)).toEqual([0, 0, 0]);
      expect(m.genotype).toBe('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|');
    }
    s.dispose();
  });
  it('all-none DARTS cells and a zero-gradient cell', async () => {
    const s = new Search({ space: 's5', C: 2, layers: 3, batch: 2, ops: 'none', lambdaRamp: false }, tinyData(0));
    const m = await s.step();
    expect(m.nonFinite).toBeNull();
    s.dispose();
    // skip-only cells: g is non-zero but identical structure; α gradients stay finite
    const t = new Search({ C: 2, batch: 4, ops: 'none,skip_connect', lambdaRamp: false }, tinyData(1));
    for (let i = 0; i < 3; i++) expect((await t.step()).nonFinite).toBeNull();
    t.dispose();
  });
  it('darts2 with lr 0 gives exactly the first-order α step', async () => {
    const a = new Search({ C: 2, batch: 4, method: 'darts', lr: 0, lrMin: 0, stepOrder: 'arch-first' }, tinyData(2));
    const b = new Search({ C: 2, batch: 4, method: 'darts2', lr: 0, lrMin: 0, stepOrder: 'arch-first' }, tinyData(2));
    const ma = await a.step();
    const mb = await b.step();
    expect(Array.from(mb.softmax[0])).toEqual(Array.from(ma.softmax[0]));
    a.dispose();
    b.dispose();
    // and with lr > 0 the unrolled α step differs
    const c = new Search({ C: 2, batch: 4, method: 'darts', stepOrder: 'arch-first', archLr: 0.1 }, tinyData(2));
    const d = new Search({ C: 2, batch: 4, method: 'darts2', stepOrder: 'arch-first', archLr: 0.1, lr: 0.5, lrMin: 0.5 }, tinyData(2));
    const mc = await c.step();
    const md = await d.step();
    expect(Array.from(md.softmax[0])).not.toEqual(Array.from(mc.softmax[0]));
    c.dispose();
    d.dispose();
  });
});
