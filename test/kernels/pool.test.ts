import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { avgPoolRef, maxPoolRef, padFor } from './reference';
import { expectClose, expectIdentical, rand, relErr, run, useCpu } from './helpers';

type Pad = 'same' | 'valid' | number;
// [B, H, W, C, k, stride, pad]
const CASES: [number, number, number, number, number, number, Pad][] = [
  [2, 8, 8, 3, 3, 1, 'valid'],
  [2, 9, 8, 4, 3, 2, 'valid'],
  [2, 8, 8, 3, 2, 2, 'valid'],
  [1, 7, 9, 2, 3, 1, 1],
  [2, 8, 7, 3, 3, 2, 1],
  [1, 7, 7, 2, 3, 1, 'same'],
  [2, 8, 9, 3, 3, 2, 'same'],
  [1, 9, 9, 2, 5, 2, 'same'],
];

const geo = (B: number, H: number, W: number, C: number, k: number, s: number, pad: Pad) => ({ B, H, W, C, KH: k, KW: k, s, d: 1, ...padFor(H, W, k, k, s, 1, pad) });

describe('AvgPool, MaxPool and their gradients', () => {
  beforeAll(useCpu);

  it.each(CASES)('avgPool B%i %ix%i C%i k%i s%i pad %s: fast = reference', (B, H, W, C, k, s, pad) => {
    const g = geo(B, H, W, C, k, s, pad);
    const x = rand(B * H * W * C, 31), dy = rand(B * g.OH * g.OW * C, 32);
    const ref = avgPoolRef(g, x, dy);
    const f = (t: tf.Tensor) => tf.avgPool(t as tf.Tensor4D, k, s, pad);
    const fn = () => [f(tf.tensor4d(x, [B, H, W, C])), tf.grad(f)(tf.tensor4d(x, [B, H, W, C]), tf.tensor4d(dy, [B, g.OH, g.OW, C]))];
    const [y, dx] = run(true, fn);
    expect(relErr([y], [ref.y])).toBeLessThan(1e-6);
    expect(relErr([dx], [ref.dx])).toBeLessThan(1e-6);
    const [yStock, dxStock] = run(false, fn);
    expect(relErr([y], [yStock])).toBeLessThan(1e-6);
    // the stock gradient divides by the full window at the borders: right only without padding
    const padded = g.top > 0 || g.left > 0 || (g.OH - 1) * s + k > H || (g.OW - 1) * s + k > W;
    if (padded) expect(relErr([dxStock], [ref.dx])).toBeGreaterThan(1e-2);
    else expect(relErr([dx], [dxStock])).toBeLessThan(1e-6);
  });

  it.each(CASES)('maxPool B%i %ix%i C%i k%i s%i pad %s: fast = reference = stock', (B, H, W, C, k, s, pad) => {
    const g = geo(B, H, W, C, k, s, pad);
    const x = rand(B * H * W * C, 33), dy = rand(B * g.OH * g.OW * C, 34);
    const ref = maxPoolRef(g, x, dy);
    const f = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, k, s, pad);
    const fn = () => [f(tf.tensor4d(x, [B, H, W, C])), tf.grad(f)(tf.tensor4d(x, [B, H, W, C]), tf.tensor4d(dy, [B, g.OH, g.OW, C]))];
    const [y, dx] = run(true, fn);
    expect(relErr([y, dx], [ref.y, ref.dx])).toBeLessThan(1e-6);
    expectIdentical(fn);
  });

  it('maxPool ties and NaN: the first maximum wins, NaN never does', () => {
    const xv = Float32Array.from(rand(2 * 6 * 6 * 2, 35), (v) => Math.round(v * 2));
    xv[5] = NaN;
    xv[17] = NaN;
    const x = tf.tensor4d(xv, [2, 6, 6, 2]);
    const f = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 3, 1, 1);
    expectIdentical(() => [f(x), tf.grad(f)(x)]);
    const g = geo(2, 6, 6, 2, 3, 1, 1);
    const ref = maxPoolRef(g, xv, new Float32Array(2 * 36 * 2).fill(1));
    const [y, dx] = run(true, () => [f(x), tf.grad(f)(x)]);
    expect(Array.from(y)).toEqual(Array.from(ref.y));
    expect(Array.from(dx)).toEqual(Array.from(ref.dx));
  });

  it('the supernet pools (avg 3×3 on the zero-padded input, avg 2×2, max 3×3 stride 2) match the stock kernels', () => {
    const x = tf.tensor4d(rand(4 * 8 * 8 * 5, 36), [4, 8, 8, 5]);
    const avg3 = (t: tf.Tensor) => tf.avgPool(tf.pad(t as tf.Tensor4D, [[0, 0], [1, 1], [1, 1], [0, 0]]), 3, 1, 'valid');
    const avg2 = (t: tf.Tensor) => tf.avgPool(t as tf.Tensor4D, 2, 2, 'valid');
    const max3 = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 3, 2, 1);
    for (const f of [avg3, avg2, max3]) expectClose(() => [f(x), tf.grad(f)(x)], 1e-6);
  });
});
