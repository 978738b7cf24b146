import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { depthwiseRef, padFor } from './reference';
import { expectClose, rand, relErr, run, useCpu } from './helpers';

type Pad = 'same' | 'valid' | number;
// [B, H, W, C, multiplier, k, stride, pad]
const CASES: [number, number, number, number, number, number, number, Pad][] = [
  [2, 7, 7, 3, 1, 3, 1, 1],
  [2, 8, 7, 4, 1, 3, 2, 1],
  [1, 9, 9, 3, 1, 5, 1, 2],
  [2, 9, 8, 2, 1, 5, 2, 2],
  [1, 11, 11, 2, 1, 9, 1, 4], // a zero-inserted 5×5 dilation-2 kernel
  [1, 12, 11, 3, 1, 9, 2, 4],
  [2, 6, 6, 2, 2, 3, 1, 'same'],
  [1, 7, 6, 3, 3, 3, 2, 'same'],
  [1, 8, 8, 2, 2, 3, 1, 'valid'],
];

describe('DepthwiseConv2dNative and its gradients', () => {
  beforeAll(useCpu);

  it.each(CASES)('B%i %ix%i C%i ×%i k%i s%i pad %s: fast = reference = stock', (B, H, W, C, M, k, s, pad) => {
    const x = rand(B * H * W * C, 11), w = rand(k * k * C * M, 12);
    const g = { B, H, W, C, KH: k, KW: k, s, d: 1, ...padFor(H, W, k, k, s, 1, pad) };
    const dy = rand(B * g.OH * g.OW * C * M, 13);
    const ref = depthwiseRef(g, M, x, w, dy);
    const f = (xt: tf.Tensor, wt: tf.Tensor) => tf.depthwiseConv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, s, pad);
    const xt = () => tf.tensor4d(x, [B, H, W, C]), wt = () => tf.tensor4d(w, [k, k, C, M]);
    const grads = () => [f(xt(), wt()), ...tf.grads(f)([xt(), wt()], tf.tensor4d(dy, [B, g.OH, g.OW, C * M]))];
    const [y, dx, dw] = run(true, grads);
    expect(relErr([y, dx, dw], [ref.y, ref.dx, ref.dw])).toBeLessThan(1e-5);
    expectClose(grads);
  });

  // tfjs refuses depthwise gradients with dilation > 1 and its CPU gradient kernels ignore the
  // dilation: the fast kernels are checked against the reference through runKernel.
  it.each([
    [1, 9, 9, 3, 1, 3, 2, 2],
    [2, 10, 9, 2, 2, 3, 2, 'same'],
    [1, 12, 12, 2, 1, 5, 2, 4],
  ] as [number, number, number, number, number, number, number, Pad][])(
    'dilation: B%i %ix%i C%i ×%i k%i d%i pad %s against the reference',
    (B, H, W, C, M, k, d, pad) => {
      const x = rand(B * H * W * C, 21), w = rand(k * k * C * M, 22);
      const g = { B, H, W, C, KH: k, KW: k, s: 1, d, ...padFor(H, W, k, k, 1, d, pad) };
      const dy = rand(B * g.OH * g.OW * C * M, 23);
      const ref = depthwiseRef(g, M, x, w, dy);
      const attrs = { strides: [1, 1], pad, dilations: [d, d], dimRoundingMode: undefined } as unknown as tf.NamedAttrMap;
      const kernels = () => {
        const xt = tf.tensor4d(x, [B, H, W, C]), wt = tf.tensor4d(w, [k, k, C, M]), dyt = tf.tensor4d(dy, [B, g.OH, g.OW, C * M]);
        return [
          tf.depthwiseConv2d(xt, wt, 1, pad, 'NHWC', d),
          tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: dyt, filter: wt }, { ...attrs, inputShape: [B, H, W, C] }) as tf.Tensor,
          tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: xt, dy: dyt }, { ...attrs, filterShape: [k, k, C, M] }) as tf.Tensor,
        ];
      };
      const [y, dx, dw] = run(true, kernels);
      expect(relErr([y], [ref.y])).toBeLessThan(1e-5);
      expect(relErr([dx], [ref.dx])).toBeLessThan(1e-5);
      expect(relErr([dw], [ref.dw])).toBeLessThan(1e-5);
      // the stock filter gradient is wrong here (it is why the supernet zero-inserts kernels)
      const [, , dwStock] = run(false, kernels);
      expect(relErr([dwStock], [ref.dw])).toBeGreaterThan(1e-2);
    },
  );

  it('zero-inserted (dilated) kernels: zero taps skipped, NaN/Inf still spread like stock', () => {
    // a 5×5 kernel with dilation 2 written as 9×9 with zeros between the taps
    const w5 = rand(5 * 5 * 3, 24), w9 = new Float32Array(9 * 9 * 3);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) for (let c = 0; c < 3; c++) w9[(2 * i * 9 + 2 * j) * 3 + c] = w5[(i * 5 + j) * 3 + c];
    const x = rand(2 * 10 * 10 * 3, 25);
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 4);
    const all = (xv: Float32Array) => () => {
      const xt = tf.tensor4d(xv, [2, 10, 10, 3]), wt = tf.tensor4d(w9, [9, 9, 3, 1]);
      return [f(xt, wt), ...tf.grads(f)([xt, wt])];
    };
    expectClose(all(x));
    const dilated = run(true, () => tf.depthwiseConv2d(tf.tensor4d(x, [2, 10, 10, 3]), tf.tensor4d(w5, [5, 5, 3, 1]), 1, 4, 'NHWC', 2));
    expect(relErr(dilated, run(true, all(x)).slice(0, 1))).toBeLessThan(1e-6);
    const bad = x.slice();
    bad[(1 * 10 + 1) * 3] = NaN; // read only through zero taps by some outputs
    bad[(4 * 10 + 7) * 3 + 2] = Infinity;
    const stock = run(false, all(bad)), fast = run(true, all(bad));
    fast.forEach((v, i) => expect(Array.from(v).map(Number.isNaN)).toEqual(Array.from(stock[i]).map(Number.isNaN)));
  });

  it('stride and dilation both > 1 still raises the stock error', () => {
    useCpuFast();
    const x = tf.zeros([1, 9, 9, 2]) as tf.Tensor4D, w = tf.zeros([3, 3, 2, 1]) as tf.Tensor4D;
    expect(() => tf.depthwiseConv2d(x, w, 2, 'same', 'NHWC', 2)).toThrow();
  });
});

function useCpuFast() {
  run(true, () => []);
}
