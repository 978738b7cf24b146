import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { convRef, padFor } from './reference';
import { expectClose, rand, randT, relErr, run, useCpu } from './helpers';

type Pad = 'same' | 'valid' | number;
// [B, H, W, C, O, k, stride, pad, dilation]
const CASES: [number, number, number, number, number, number, number, Pad, number][] = [
  [2, 6, 6, 3, 4, 3, 1, 1, 1],
  [2, 7, 5, 4, 5, 3, 2, 1, 1],
  [1, 8, 8, 5, 3, 1, 1, 0, 1],
  [2, 8, 8, 4, 6, 1, 2, 0, 1],
  [2, 6, 7, 3, 3, 3, 1, 'same', 1],
  [1, 7, 7, 2, 5, 3, 2, 'same', 1],
  [2, 6, 6, 3, 2, 3, 1, 'valid', 1],
  [1, 9, 8, 2, 4, 5, 2, 'valid', 1],
  [1, 9, 9, 3, 4, 5, 1, 2, 1],
  [1, 9, 9, 2, 3, 3, 1, 2, 2], // dilated (forward only: tfjs refuses the gradient)
  [1, 10, 9, 3, 2, 3, 1, 'same', 3],
  [2, 9, 9, 5, 13, 3, 1, 1, 1], // SIMD block plus JS edge columns
  [2, 16, 16, 16, 8, 3, 1, 1, 1], // several pixel chunks, one starting mid-row
  [3, 15, 15, 16, 16, 3, 2, 1, 1],
  [2, 24, 24, 64, 4, 1, 1, 0, 1], // pointwise, two chunks
];

describe('Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter', () => {
  beforeAll(useCpu);

  it.each(CASES)('B%i %ix%i C%i→%i k%i s%i pad %s dil %i: fast = reference = stock', (B, H, W, C, O, k, s, pad, d) => {
    const x = rand(B * H * W * C, 1), w = rand(k * k * C * O, 2);
    const g = { B, H, W, C, KH: k, KW: k, s, d, ...padFor(H, W, k, k, s, d, pad) };
    const dy = rand(B * g.OH * g.OW * O, 3);
    const ref = convRef(g, O, x, w, dy);
    const f = (xt: tf.Tensor, wt: tf.Tensor) => tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, s, pad, 'NHWC', d);
    const xt = () => tf.tensor4d(x, [B, H, W, C]), wt = () => tf.tensor4d(w, [k, k, C, O]);
    const fwd = () => f(xt(), wt());
    const [yFast] = run(true, fwd);
    expect(relErr([yFast], [ref.y])).toBeLessThan(1e-5);
    expectClose(fwd);
    if (d === 1) {
      const grads = () => tf.grads(f)([xt(), wt()], tf.tensor4d(dy, [B, g.OH, g.OW, O]));
      const [dx, dw] = run(true, grads);
      expect(relErr([dx], [ref.dx])).toBeLessThan(1e-5);
      expect(relErr([dw], [ref.dw])).toBeLessThan(1e-5);
      expectClose(grads);
    }
  });

  it('explicit padding and dimRoundingMode match the stock kernel', () => {
    const x = randT([2, 7, 8, 3], 4), w = randT([3, 3, 3, 4], 5);
    expectClose(() => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, [[0, 0], [2, 0], [1, 2], [0, 0]]));
    expectClose(() => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 1, 'NHWC', 1, 'floor'));
    expectClose(() => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 1, 'NHWC', 1, 'ceil'));
    expectClose(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 1, 'NHWC', 1, 'ceil'))([x, w]));
  });

  it('falls back to the stock kernel for NCHW', () => {
    const x = randT([2, 3, 6, 6], 6), w = randT([3, 3, 3, 4], 7);
    expectClose(() => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 1, 'NCHW'), 0);
  });

  it('propagates NaN and Inf like the stock kernels', () => {
    const xv = rand(2 * 5 * 5 * 3, 8).map((v) => Math.max(0, v));
    xv[7] = NaN;
    const wv = rand(3 * 3 * 3 * 2, 9);
    wv[4] = Infinity;
    const x = tf.tensor4d(xv, [2, 5, 5, 3]), w = tf.tensor4d(wv, [3, 3, 3, 2]);
    const g = () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 1))([x, w]);
    const stock = run(false, () => [tf.conv2d(x, w, 1, 1), ...g()]);
    const fast = run(true, () => [tf.conv2d(x, w, 1, 1), ...g()]);
    fast.forEach((f, i) => expect(Array.from(f).map(Number.isNaN)).toEqual(Array.from(stock[i]).map(Number.isNaN)));
  });
});
