import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { broadcastPlan } from '../../src/core/kernels/cpu/binary';
import { both, expectClose, expectIdentical, rand, randT, relErr, useCpu } from './helpers';

const SHAPES: [number[], number[]][] = [
  [[4, 3, 3, 5], [4, 3, 3, 5]],
  [[4, 3, 3, 5], [5]],
  [[5], [4, 3, 3, 5]],
  [[4, 3, 3, 5], []],
  [[], [2, 3]],
  [[4, 3, 3, 5], [1, 1, 1, 5]],
  [[4, 3, 3, 5], [1, 3, 3, 1]],
  [[4, 3, 3, 5], [4, 1, 1, 5]],
  [[4, 1, 3, 1], [1, 6, 1, 2]],
  [[6, 1], [1, 7]],
  [[2, 3, 1], [3, 4]],
  [[1, 9], [9]],
  [[3, 0, 2], [2]],
  // large enough for the WebAssembly SIMD path, with scalar tails
  [[64, 8, 8, 8], [8]],
  [[64, 8, 8, 8], [64, 8, 8, 8]],
  [[64, 8, 8, 6], [1, 8, 8, 1]],
  [[], [70, 70]],
  [[70, 1], [1, 70]],
  [[4099], [4099]],
  [[3, 37, 37], [37]],
  [[5, 37, 37], [5, 37, 1]],
];

describe('broadcasting Add, Sub, Multiply, RealDiv', () => {
  beforeAll(useCpu);

  it.each(SHAPES)('%j with %j: bit-identical to stock', (sa, sb) => {
    const a = randT(sa, 41), b = tf.add(randT(sb, 42), 1.5); // away from 0 for RealDiv
    for (const op of [tf.add, tf.sub, tf.mul, tf.div]) expectIdentical(() => op(a, b));
  });

  it('NaN, Inf and the int32 fallback', () => {
    const a = tf.tensor2d([NaN, Infinity, -Infinity, 0, -0, 3], [2, 3]), b = tf.tensor1d([0, Infinity, -2]);
    for (const op of [tf.add, tf.sub, tf.mul, tf.div]) expectIdentical(() => op(a, b));
    const ai = tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), bi = tf.tensor1d([3, 5], 'int32');
    for (const op of [tf.add, tf.sub, tf.mul]) expectIdentical(() => op(ai, bi));
  });

  it('collapses broadcast dims into one outer loop and one contiguous inner run', () => {
    expect(broadcastPlan([4, 3, 3, 5], [5], [4, 3, 3, 5])).toEqual({ dims: [36, 5], as: [5, 1], bs: [0, 1] });
    expect(broadcastPlan([4, 3, 3, 5], [4, 3, 3, 5], [4, 3, 3, 5])).toEqual({ dims: [180], as: [1], bs: [1] });
    expect(broadcastPlan([4, 3, 3, 5], [1, 3, 3, 1], [4, 3, 3, 5])).toEqual({ dims: [4, 9, 5], as: [45, 5, 1], bs: [0, 1, 0] });
  });
});

describe('Sum and Mean', () => {
  beforeAll(useCpu);
  const x = randT([4, 3, 5, 6], 43);
  it.each([[[0, 1, 2]], [[1, 2]], [[3]], [[0]], [[0, 2]], [[1, 3]], [[0, 1, 2, 3]], [[-1]], [[]]])('axes %j: bit-identical to stock', (axes) => {
    for (const keep of [false, true]) {
      expectIdentical(() => [tf.sum(x, axes, keep), tf.mean(x, axes, keep)]);
    }
  });
  it('large inputs (WebAssembly column sums, with column tails) are bit-identical too', () => {
    for (const shape of [[64, 8, 8, 8], [9, 11, 13, 7], [2, 33, 70]]) {
      const big = randT(shape, 48);
      const axes = shape.length === 4 ? [0, 1, 2] : [0, 1];
      expectIdentical(() => [tf.sum(big, axes), tf.mean(big, axes), tf.mean(big, [0], true), tf.sum(big, [1])]);
    }
  });

  it('whole-tensor reductions, size-1 dims, gradients, int32 fallback', () => {
    const r = tf.reshape(x, [4, 1, 15, 6]);
    expectIdentical(() => [tf.sum(r, [0, 1, 2]), tf.mean(r, [1, 3], true), tf.sum(r, [1]), tf.mean(r, [0, 2])]);
    expectIdentical(() => [tf.sum(x), tf.mean(x), ...tf.grads((a: tf.Tensor) => tf.mean(tf.mul(tf.sum(a, [0, 1, 2]), tf.mean(a, [1, 2, 3]).sum())))([x])]);
    expectIdentical(() => tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), 0));
  });
});

describe('Slice, PadV2, Concat, SplitV, Relu, Step, Square', () => {
  beforeAll(useCpu);
  const x = randT([3, 5, 4, 6], 44);
  it('slices (contiguous and strided) and pads', () => {
    expectIdentical(() => [
      tf.slice(x, [0, 1, 1, 0], [3, 4, 3, 6]),
      tf.slice(x, [1, 0, 0, 2], [2, 5, 4, 3]),
      tf.slice(x, [1, 0, 0, 0], [1, 5, 4, 6]),
      tf.slice(tf.tensor1d([1, 2, 3, 4, 5], 'int32'), [1], [3]),
      tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]),
      tf.pad(x, [[1, 0], [0, 2], [3, 0], [1, 1]], 2.5),
      tf.pad(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), [[1, 0], [0, 1]], 7),
      tf.grad((a: tf.Tensor) => tf.pad(a, [[0, 0], [1, 1], [1, 1], [0, 0]]))(x),
    ]);
  });
  it('concatenates and splits along every axis, with gradients', () => {
    for (const axis of [0, 1, 2, 3, -1]) {
      const y = randT([3, 5, 4, 6].map((s, i) => (i === (axis + 4) % 4 ? 2 : s)), 45);
      expectIdentical(() => [tf.concat([x, y, x], axis), ...tf.split(x, [1, 2, x.shape[(axis + 4) % 4] - 3], axis)]);
      expectIdentical(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.mul(tf.concat([a, b], axis), tf.concat([a, b], axis)))([x, y]));
    }
    expectIdentical(() => [tf.concat([tf.zeros([2, 0]), tf.ones([2, 3])], 1), tf.concat([tf.tensor1d([1, 2], 'int32'), tf.tensor1d([3], 'int32')])]);
    expectIdentical(() => tf.stack([x, x, x], 1));
    // large splits along the channels (WebAssembly strided copies), with odd widths
    const big = randT([16, 9, 9, 21], 50);
    expectIdentical(() => [...tf.split(big, [8, 8, 5], 3), ...tf.split(big, 3, 3), ...tf.split(big, [2, 7], 1)]);
    // large concatenations of equal parts (one WebAssembly gather), bits kept (−0, NaN, ±Inf), and of unequal parts
    const bv = rand(16 * 9 * 9 * 7, 51);
    bv.set([-0, NaN, Infinity, -Infinity], 11);
    const part = tf.tensor(bv, [16, 9, 9, 7]);
    expectIdentical(() => [tf.concat([part, big.slice([0, 0, 0, 0], [16, 9, 9, 7]), part], 3), tf.concat([part, part], 1), tf.concat([big, part], 3)]);
    expectIdentical(() => tf.grads((a: tf.Tensor) => tf.split(a, 3, 3)[1].mul(2))([big]));
  });
  it('relu, its gradient mask and square, with NaN and ±0', () => {
    const v = tf.tensor1d([NaN, -0, 0, -1, 2, Infinity, -Infinity]);
    expectIdentical(() => [tf.relu(x), tf.relu(v), tf.step(v), tf.step(v, 0.3), tf.grad((a: tf.Tensor) => tf.relu(a))(x)]);
    // large (WebAssembly SIMD, odd length for the overlapping tail) with NaN, ±0, ±Inf inside
    const bv = rand(4099, 49);
    bv.set([NaN, -0, 0, Infinity, -Infinity], 17);
    bv.set([NaN, -0], 4097);
    const big = tf.tensor1d(bv);
    expectIdentical(() => [tf.relu(big), tf.step(big), tf.step(big, -0.25), tf.square(big), tf.square(v), tf.square(x)]);
  });
});

describe('BatchMatMul', () => {
  beforeAll(useCpu);
  it.each([
    [[1, 5], [5, 300], false, false],
    [[1, 300], [5, 300], false, true],
    [[1, 5], [1, 300], true, false],
    [[7, 4], [4, 6], false, false],
    [[4, 7], [4, 6], true, false],
    [[7, 4], [6, 4], false, true],
    [[4, 7], [6, 4], true, true],
    [[3, 2, 5], [3, 5, 4], false, false],
    [[1, 2, 5], [3, 5, 4], false, false],
    [[3, 5, 2], [5, 4], true, false],
    // wide outputs: the WebAssembly SIMD path
    [[1, 5], [5, 1500], false, false],
    [[5, 3], [5, 1201], true, false],
    [[2, 3, 4], [2, 4, 1100], false, false],
    [[1, 1501], [6, 1501], false, true],
    [[2, 3, 1203], [2, 5, 1203], false, true],
  ] as [number[], number[], boolean, boolean][])('%j · %j (transpose %s, %s) matches stock', (sa, sb, ta, tb) => {
    const a = randT(sa, 46), b = randT(sb, 47);
    const bcast = sa.length !== sb.length || sa[0] !== sb[0]; // tfjs has no gradient for broadcast batches
    const grads = () => (bcast && sa.length === 3 ? [] : tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, ta, tb))([a, b]));
    const { stock, fast } = both(() => [tf.matMul(a, b, ta, tb), ...grads()]);
    expect(relErr(fast, stock)).toBeLessThan(1e-6);
  });
});

describe('UnsortedSegmentSum (gradient of tf.gather)', () => {
  beforeAll(useCpu);

  it('matches stock for the cells\' gather of mixing weights, repeated and out-of-range ids, and inner dims', () => {
    const p = randT([30], 7);
    const idx = [0, 1, 2, 4, 5, 6, 7, 9, 10, 11, 12, 14];
    // forward gather + backward = UnsortedSegmentSum of dy into 30 segments
    expectClose(() => tf.grad((q: tf.Tensor) => tf.sum(tf.mul(tf.gather(q, idx), randT([idx.length], 8))))(p), 1e-7);
    expectClose(() => tf.unsortedSegmentSum(randT([6, 3, 2], 9), tf.tensor1d([2, 0, 2, 5, 1, 2], 'int32'), 4), 1e-7);
    expectClose(() => tf.unsortedSegmentSum(randT([5], 10), tf.tensor1d([3, 3, 3, 0, 1], 'int32'), 4), 1e-7);
  });

  it('is registered and sums rows into segments', () => {
    const s = tf.unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor1d([1, 1, 0], 'int32'), 3);
    expect(Array.from(s.dataSync())).toEqual([5, 6, 4, 6, 0, 0]);
    s.dispose();
  });
});
