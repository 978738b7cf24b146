import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cosineLr, lambdaAt, makeConfig, resolveStepOrder } from '../../src/core/config';
import { ConfigError, makeSpace } from '../../src/core/spaces';
import { Search } from '../../src/core/search';
import { buildSupernet } from '../../src/core/supernet';
import { totalParams } from '../../src/core/network';
import { tinyData, useCpu } from './helpers';

function fieldOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).field;
  }
  throw new Error('did not throw');
}

describe('run configuration', () => {
  beforeAll(useCpu);
  it('rejects bad values with an error naming the field', () => {
    expect(fieldOf(() => makeConfig({ C: 0 }))).toBe('C');
    expect(fieldOf(() => makeConfig({ ops: 'skip_connect,conv_7x7' }) && buildSupernet(makeConfig({ ops: 'skip_connect,conv_7x7' })))).toBe('ops');
    expect(fieldOf(() => buildSupernet(makeConfig({ ops: 'skip_connect,conv_7x7' })))).toBe('ops');
    expect(fieldOf(() => buildSupernet(makeConfig({ space: 's5', ops: 'nor_conv_3x3' })))).toBe('ops');
    expect(fieldOf(() => makeConfig({ imageSize: 6 }))).toBe('imageSize'); // NB201 halves twice: 6 → 3 → odd
    expect(fieldOf(() => makeConfig({ imageSize: 2 }))).toBe('imageSize');
    expect(fieldOf(() => makeConfig({ space: 's5', layers: 8, imageSize: 2 }))).toBe('imageSize');
    expect(fieldOf(() => makeConfig({ method: 'gdas' as never }))).toBe('method');
    expect(fieldOf(() => makeConfig({ space: 'nope' as never }))).toBe('space');
    expect(fieldOf(() => makeConfig({ batch: 1.5 }))).toBe('batch');
    expect(fieldOf(() => buildSupernet(makeConfig({ space: 's5', C: 3 })))).toBe('C');
    expect(fieldOf(() => makeSpace('s1', 3))).toBe('steps');
    expect(() => makeConfig({ C: 0 })).toThrow(/^C: must be ≥ 1/);
  });
  it('accepts input sizes the reductions allow', () => {
    expect(makeConfig({ imageSize: 4 }).imageSize).toBe(4);
    expect(makeConfig({ space: 's5', layers: 5, imageSize: 4 }).imageSize).toBe(4);
  });
  it('schedules: λ ramp λ·e/(E−1), cosine lr, official step orders', () => {
    const c = makeConfig({ lambda: 0.25, epochs: 5 });
    expect([0, 1, 4].map((e) => lambdaAt(c, e))).toEqual([0, 0.0625, 0.25]);
    expect(lambdaAt({ ...c, lambdaRamp: false }, 0)).toBe(0.25);
    expect(cosineLr(c, 0)).toBeCloseTo(0.025, 12);
    expect(cosineLr({ lr: 0.025, lrMin: 0.001, epochs: 50 }, 25)).toBeCloseTo(0.013, 12);
    expect(resolveStepOrder({ stepOrder: 'auto', space: 'nb201', method: 'lambda' })).toBe('weights-first');
    expect(resolveStepOrder({ stepOrder: 'auto', space: 's5', method: 'lambda' })).toBe('arch-first');
    expect(resolveStepOrder({ stepOrder: 'auto', space: 'nb201', method: 'darts2' })).toBe('arch-first');
  });
  it('builds the official NB201 and DARTS parameter layouts', () => {
    // NB201 C=4 N=1 10 classes: 25,054 weights (fixture nb201-c4n1); DARTS s5 C=4 5 cells: 136,182 (fixture darts-s5-c4l5)
    expect(totalParams(buildSupernet(makeConfig({ C: 4, N: 1, imageSize: 8 })))).toBe(25054);
    expect(totalParams(buildSupernet(makeConfig({ space: 's5', C: 4, layers: 5, imageSize: 8 })))).toBe(136182);
  });
  it('hot fields apply live; invalid ones are refused', async () => {
    const s = new Search({ C: 2, batch: 4, lambda: 0.25, lambdaRamp: false }, tinyData(0));
    s.setHot({ lambda: 0 });
    const m = await s.step();
    expect(m.lambdaE).toBe(0);
    expect(m.regRatio).toBe(0);
    s.setHot({ lambda: 0.5 });
    expect((await s.step()).lambdaE).toBe(0.5);
    expect(() => s.setHot({ lambda: -1 })).toThrow(/lambda/);
    s.dispose();
    expect(tf.memory().numTensors).toBeGreaterThanOrEqual(0);
  });
});
