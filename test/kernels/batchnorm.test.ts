import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchNorm, type BnStat, type Fwd } from '../../src/core/ops';
import { BN_FORWARD } from '../../src/core/kernels/names';
import { installFastCpuKernels } from '../../src/core/kernels/cpu/index';
import { both, randT, relErr, useCpu } from './helpers';

const fwd = (stats?: BnStat[]): Fwd => ({ w: () => { throw new Error('no weights'); }, stats, noiseSeed: 0, noiseCount: 0 });

/** y = BN(x), its statistics, and the gradient of Σ y·r w.r.t. x (r fixed random). */
function bnCase(shape: [number, number, number, number], seed: number) {
  return () => {
    const x = tf.add(tf.mul(randT(shape, seed), 3), 0.7) as tf.Tensor4D;
    const r = randT(shape, seed + 1);
    const stats: BnStat[] = [];
    const { value, grads } = tf.valueAndGrads((xi: tf.Tensor) => tf.sum(tf.mul(batchNorm(xi as tf.Tensor4D, { name: 'bn', channels: shape[3] }, fwd(stats)), r)))([x]);
    const y = batchNorm(x, { name: 'bn', channels: shape[3] }, fwd([]));
    const outs = [y, grads[0], value, stats[0].meanVar];
    return outs;
  };
}

describe('fused BatchNorm kernels (CPU) vs the composite of ops.ts', () => {
  beforeAll(useCpu);
  afterAll(installFastCpuKernels);

  it.each([
    [[8, 4, 4, 6], 3],
    [[64, 16, 16, 8], 5],
    [[2, 1, 1, 3], 9],
    [[16, 8, 8, 32], 11],
  ] as [[number, number, number, number], number][])('%j: x̂, dx, loss and batch statistics agree', (shape, seed) => {
    const { stock, fast } = both(bnCase(shape, seed));
    expect(relErr(fast, stock)).toBeLessThan(2e-5);
  });

  it('is used on the CPU backend with the fast kernels and leaks nothing (no statistics requested)', () => {
    installFastCpuKernels();
    expect(tf.getKernel(BN_FORWARD, 'cpu')).toBeDefined();
    const before = tf.memory().numTensors;
    const prof: string[] = [];
    tf.tidy(() => {
      const x = randT([4, 3, 3, 5], 1) as tf.Tensor4D;
      const g = tf.grad((xi: tf.Tensor) => tf.sum(tf.square(batchNorm(xi as tf.Tensor4D, { name: 'bn', channels: 5 }, fwd()))))(x);
      expect(g.shape).toEqual([4, 3, 3, 5]);
      // Σ x̂² = N·H·W·C·var/(var+eps) per channel is constant in x, so its gradient is ~0
      expect(Math.max(...Array.from(tf.abs(g).dataSync()))).toBeLessThan(1e-3);
      prof.push('ok');
    });
    expect(prof).toEqual(['ok']);
    expect(tf.memory().numTensors).toBe(before);
  });
});
