import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adamStep, clipCoef, globalNorm, sgdStep } from '../../src/core/optim';
import { useCpu } from './helpers';

describe('PyTorch-semantics optimizers', () => {
  beforeAll(useCpu);
  it('SGD: wd added to the gradient, first momentum buffer = d_p, then μ·buf + d_p', () => {
    const w = [tf.tensor1d([1, -2])];
    const g = [tf.tensor1d([0.5, 0.25])];
    const h = { lr: 0.1, momentum: 0.9, weightDecay: 0.01 };
    const s1 = sgdStep(w, g, null, h);
    // d = g + 0.01 w = [0.51, 0.23]; w1 = w − 0.1 d
    expect(Array.from(s1.buf[0].dataSync())).toEqual([0.51, 0.23].map(Math.fround));
    expect(s1.w[0].dataSync()[0]).toBeCloseTo(1 - 0.051, 7);
    const s2 = sgdStep(s1.w, g, s1.buf, h);
    // buf2 = 0.9·buf1 + (g + 0.01·w1)
    expect(s2.buf[0].dataSync()[0]).toBeCloseTo(0.9 * 0.51 + 0.5 + 0.01 * 0.949, 6);
  });
  it('Adam: coupled L2, bias correction, eps after the corrected sqrt (step 1 ≈ −lr·sign(g))', () => {
    const a = [tf.tensor1d([0.001, -0.002, 0])];
    const g = [tf.tensor1d([0.3, -0.2, 0])];
    const h = { lr: 3e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8, weightDecay: 1e-3 };
    const r = adamStep(a, g, null, h);
    const gd = [0.3 + 1e-6, -0.2 - 2e-6, 0];
    expect(Array.from(r.gWithDecay[0].dataSync()).map((x, i) => x - gd[i]).every((d) => Math.abs(d) < 1e-7)).toBe(true);
    const out = r.a[0].dataSync();
    expect(out[0]).toBeCloseTo(0.001 - 3e-4, 8);
    expect(out[1]).toBeCloseTo(-0.002 + 3e-4, 8);
    expect(out[2]).toBe(0); // g = 0 and α = 0: eps keeps it finite
    const r2 = adamStep(r.a, g, r.state, h);
    expect(r2.state.step).toBe(2);
    // step 2 by hand for element 0
    const g2 = 0.3 + 1e-3 * out[0];
    const m = 0.5 * 0.5 * gd[0] + 0.5 * g2;
    const v = 0.999 * 0.001 * gd[0] ** 2 + 0.001 * g2 ** 2;
    const expected = out[0] - (3e-4 / (1 - 0.25)) * (m / (Math.sqrt(v) / Math.sqrt(1 - 0.999 ** 2) + 1e-8));
    expect(r2.a[0].dataSync()[0]).toBeCloseTo(expected, 8);
  });
  it('clip: coef = min(1, max/(total + 1e-6)) over the global norm', () => {
    const t = [tf.tensor1d([3, 4]), tf.tensor1d([12])];
    const n = globalNorm(t);
    expect(n.dataSync()[0]).toBeCloseTo(13, 5);
    expect(clipCoef(n, 5).dataSync()[0]).toBeCloseTo(5 / (13 + 1e-6), 6);
    expect(clipCoef(n, 100).dataSync()[0]).toBe(1);
  });
});
