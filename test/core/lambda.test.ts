import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { alignment, cosineMatrix, epsilonOf, meanOffDiagonal } from '../../src/core/lambda';
import { Rng } from '../../src/core/rng';
import { useCpu } from './helpers';

/** Independent Λ in plain JS (float64). */
function lambdaRef(G: number[][], type: 'corr' | 'signcorr'): number {
  let s = 0, n = 0;
  for (let i = 0; i < G.length; i++)
    for (let j = i + 1; j < G.length; j++) {
      let num = 0, a = 0, b = 0, abs = 0;
      for (let k = 0; k < G[i].length; k++) {
        num += G[i][k] * G[j][k];
        a += G[i][k] ** 2;
        b += G[j][k] ** 2;
        abs += Math.abs(G[i][k]) * Math.abs(G[j][k]);
      }
      s += type === 'corr' ? num / Math.sqrt(a * b) : num / abs;
      n++;
    }
  return s / n;
}

describe('Λ regularizer', () => {
  beforeAll(useCpu);
  const rng = new Rng(5);
  const G = Array.from({ length: 4 }, () => Array.from({ length: 12 }, () => rng.normal()));

  it.each(['corr', 'signcorr'] as const)('%s: value matches an independent computation and d = ∂Λ/∂g (central differences, float64)', (type) => {
    const al = alignment(tf.tensor2d(G), type);
    expect(al.alignment.dataSync()[0]).toBeCloseTo(lambdaRef(G, type), 5);
    expect(al.corr.dataSync()[0]).toBeCloseTo(lambdaRef(G, 'corr'), 5);
    const d = al.d.arraySync();
    const h = 1e-6;
    for (const [i, k] of [[0, 0], [1, 5], [3, 11], [2, 7]]) {
      const up = G.map((r) => [...r]), dn = G.map((r) => [...r]);
      up[i][k] += h;
      dn[i][k] -= h;
      const fd = (lambdaRef(up, type) - lambdaRef(dn, type)) / (2 * h);
      expect(d[i][k]).toBeCloseTo(fd, 4);
    }
  });

  it('ε = ε0/‖d‖ so that ‖ε·d‖ = ε0', () => {
    const al = alignment(tf.tensor2d(G), 'corr');
    const eps = epsilonOf(al.d, 1e-4);
    expect(tf.norm(tf.mul(al.d, eps)).dataSync()[0]).toBeCloseTo(1e-4, 9);
  });

  it('zero gradients give zeros, never NaN', () => {
    const Z = tf.tensor2d([[0, 0, 0], [1, 2, 3], [0, 0, 0]]);
    for (const type of ['corr', 'signcorr'] as const) {
      const al = alignment(Z, type);
      for (const t of [al.corr, al.alignment, al.d, al.cos]) expect(Array.from(t.dataSync()).every(Number.isFinite)).toBe(true);
      expect(Array.from(al.d.dataSync()).slice(0, 3)).toEqual([0, 0, 0]);
    }
    const allZero = alignment(tf.zeros([3, 4]) as tf.Tensor2D, 'corr');
    const eps = epsilonOf(allZero.d, 1e-4);
    expect(eps.dataSync()[0]).toBe(0);
    expect(allZero.corr.dataSync()[0]).toBe(0);
  });

  it('one cell: no pairs, Λ = 0 and d = 0', () => {
    const al = alignment(tf.tensor2d([[1, 2, 3]]), 'corr');
    expect(al.corr.dataSync()[0]).toBe(0);
    expect(Array.from(al.d.dataSync())).toEqual([0, 0, 0]);
  });

  it('cosine matrix and its pair mean', () => {
    const M = cosineMatrix(tf.tensor2d([[1, 0], [0, 1], [1, 1]]));
    const m = M.arraySync();
    expect(m[0][1]).toBeCloseTo(0, 7);
    expect(m[0][2]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(meanOffDiagonal(M).dataSync()[0]).toBeCloseTo((0 + 2 * Math.SQRT1_2) / 3, 6);
  });
});
