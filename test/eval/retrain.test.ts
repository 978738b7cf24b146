import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { cutoutInto } from '../../src/eval/retrain-data';
import { Retrainer, sgd } from '../../src/eval/retrain';
import { retrain, retrainSideBySide } from '../../src/eval/retrain-run';
import { ALL_SKIP, BEST_C10, tinyRetrainData, useCpu } from './helpers';

beforeAll(useCpu);

describe('retraining', () => {
  it('lowers the loss on synthetic data and reports test accuracy, with progress and ETA', async () => {
    const data = tinyRetrainData(0, { count: 48, test: 32, batch: 16 });
    const calls: [number, number, number, number, (number | undefined)?][] = [];
    const before = tf.memory().numTensors;
    const r = await retrain(BEST_C10, data, { C: 4, N: 1, epochs: 4, seed: 0 }, (...a) => calls.push(a));
    expect(tf.memory().numTensors).toBe(before);
    expect(r.kind).toBe('nb201');
    expect(r.steps).toBe(12);
    expect(r.epochs).toHaveLength(4);
    expect(r.epochs[3].trainLoss).toBeLessThan(0.7 * r.epochs[0].trainLoss);
    expect(r.testImages).toBe(32);
    expect(r.testAcc).toBeGreaterThan(0.5); // 4 classes: chance is 0.25
    expect(r.testAcc).toBe(r.epochs[3].testAcc);
    expect(calls.map((c) => c[0])).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(calls.every((c) => c[1] === 12 && c[2] >= 0 && Number.isFinite(c[3]))).toBe(true);
    expect(calls[11][2]).toBe(0);
    expect(calls.filter((c) => c[4] !== undefined).map((c) => c[0])).toEqual([3, 6, 9, 12]);
    expect(r.epochs[1].lr).toBeLessThan(r.epochs[0].lr);
  });

  it('keeps tf.memory().numTensors flat over steps and evaluations, and frees everything on dispose', async () => {
    const before = tf.memory().numTensors;
    const r = new Retrainer(ALL_SKIP, tinyRetrainData(1, { batch: 4 }), { C: 2, N: 1, epochs: 100, seed: 1 });
    await r.step();
    await r.evaluate();
    const n = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) await r.step();
    await r.evaluate();
    expect(tf.memory().numTensors).toBe(n);
    r.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is deterministic per seed; side by side, the same cell twice gives the same run', async () => {
    const losses = async (seed: number) => {
      const r = new Retrainer(BEST_C10, tinyRetrainData(0), { C: 2, epochs: 1, seed });
      const out: number[] = [];
      while (!r.done) out.push((await r.step()).loss);
      r.dispose();
      return out;
    };
    const a = await losses(3);
    expect(await losses(3)).toEqual(a);
    expect(await losses(4)).not.toEqual(a);
    const opts = { C: 2, epochs: 2, seed: 5 };
    const [x, y, z] = await retrainSideBySide([BEST_C10, BEST_C10, ALL_SKIP].map((genotype) => ({ genotype, data: tinyRetrainData(2, { augment: true }) })), opts);
    expect(y.epochs.map((e) => e.trainLoss)).toEqual(x.epochs.map((e) => e.trainLoss));
    expect(y.testAcc).toBe(x.testAcc);
    expect(z.genotype).toBe(ALL_SKIP);
    expect(z.params).toBeLessThan(x.params);
  });

  it('cosine per step (NB201) or per epoch (DARTS)', () => {
    const r = new Retrainer(ALL_SKIP, tinyRetrainData(0), { epochs: 2, lr: 0.1, lrMin: 0 }); // 4 steps per epoch
    expect(r.lrAt(0)).toBeCloseTo(0.1, 12);
    expect(r.lrAt(2)).toBeCloseTo(0.05 * (1 + Math.cos(Math.PI * 0.25)), 12);
    const d = new Retrainer(ALL_SKIP, tinyRetrainData(0), { epochs: 2, lr: 0.1, lrMin: 0, lrSchedule: 'epoch' });
    expect(d.lrAt(2)).toBe(0.1);
    expect(d.lrAt(4)).toBeCloseTo(0.05, 12);
    r.dispose();
    d.dispose();
  });
});

describe('pieces', () => {
  it('Nesterov SGD follows torch.optim.SGD', async () => {
    const h = { lr: 0.1, momentum: 0.9, weightDecay: 0.01 };
    const w0 = tf.tensor1d([1, -2]);
    const g1 = tf.tensor1d([0.5, 0.25]);
    const s1 = sgd([w0], [g1], null, h, true);
    const s2 = sgd(s1.w, [g1], s1.buf, h, true);
    // by hand, first element: d = 0.5 + 0.01·1 = 0.51, buf = 0.51, w = 1 − 0.1·(0.51 + 0.9·0.51) = 0.9031
    const w1 = 1 - 0.1 * (0.51 + 0.9 * 0.51);
    const d2 = 0.5 + 0.01 * w1, b2 = 0.9 * 0.51 + d2;
    const v = await s2.w[0].data();
    expect(v[0]).toBeCloseTo(w1 - 0.1 * (d2 + 0.9 * b2), 6);
    const plain = sgd([w0], [g1], null, h, false);
    expect((await plain.w[0].data())[0]).toBeCloseTo(1 - 0.1 * 0.51, 6);
    tf.dispose([w0, g1, ...s1.w, ...s1.buf, ...s2.w, ...s2.buf, ...plain.w, ...plain.buf]);
  });

  it('cutout zeroes one clipped length×length square per image', () => {
    const side = 8, ch = 2, n = 3;
    const x = new Float32Array(n * side * side * ch).fill(1);
    cutoutInto(x, n, side, ch, 4, new Rng(7));
    for (let i = 0; i < n; i++) {
      const zeros = x.subarray(i * side * side * ch, (i + 1) * side * side * ch).filter((v) => v === 0).length;
      expect(zeros % ch).toBe(0);
      expect(zeros / ch).toBeGreaterThanOrEqual(4); // at least a 2×2 corner survives the clipping
      expect(zeros / ch).toBeLessThanOrEqual(16);
    }
    expect(x.filter((v) => v === 0).length).toBeGreaterThan(0);
  });
});
