import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Search, type StepMetrics } from '../../src/core/search';
import type { RunConfig } from '../../src/core/config';
import { tinyData, useCpu } from './helpers';

const tiny: Partial<RunConfig> = { space: 'nb201', method: 'lambda', C: 2, N: 1, batch: 4, epochs: 2, seed: 3, lambda: 0.25 };

async function run(cfg: Partial<RunConfig>, steps: number): Promise<StepMetrics[]> {
  const s = new Search(cfg, tinyData(cfg.seed ?? 0));
  const out: StepMetrics[] = [];
  for (let i = 0; i < steps; i++) out.push(await s.step());
  s.dispose();
  return out;
}

const strip = (m: StepMetrics) => ({ ...m, ms: 0 });

describe('Search on the CPU backend', () => {
  beforeAll(useCpu);

  it('same seed gives identical metrics; another seed does not', async () => {
    const a = await run(tiny, 6);
    const b = await run(tiny, 6);
    expect(a.map(strip)).toEqual(b.map(strip));
    const c = await run({ ...tiny, seed: 4 }, 6);
    expect(c[5].trainLoss).not.toEqual(a[5].trainLoss);
  });

  it('runs an epoch boundary: λ ramps, lr anneals, ε and Λ are finite', async () => {
    const m = await run(tiny, 10); // 16 images / batch 4 → 4 steps per epoch
    expect(m[0].epoch).toBe(0);
    expect(m[4].epoch).toBe(1);
    expect(m[0].lambdaE).toBe(0);
    expect(m[4].lambdaE).toBeCloseTo(0.25, 12);
    expect(m[4].lr).toBeLessThan(m[0].lr);
    expect(m[4].regRatio).toBeGreaterThan(0);
    expect(m[0].regRatio).toBe(0);
    for (const x of m) {
      expect(x.nonFinite).toBeNull();
      expect(Number.isFinite(x.trainCorr)).toBe(true);
      expect(Number.isFinite(x.validCorr)).toBe(true);
      expect(x.epsilon).toBeGreaterThan(0);
      expect(x.softmax[0].length).toBe(30);
      expect(x.cosTrain.length).toBe(9);
      expect(x.votes.length).toBe(3 * 30);
      expect(x.genotype).toMatch(/^\|[a-z_0-9]+~0\|\+/);
    }
  });

  it('votes sum over cells to −∂L/∂α (the α-step direction)', async () => {
    const m = (await run({ ...tiny, method: 'darts', archLr: 0 , archWeightDecay: 0}, 1))[0];
    // With archLr=0 α is unchanged; the votes of the 3 cells are finite and not all equal.
    const v = m.votes;
    const per = [0, 1, 2].map((c) => v.slice(c * 30, (c + 1) * 30));
    expect(per[0]).not.toEqual(per[1]);
    // each cell's vote sums to zero over the ops of an edge (rows of J(p) sum to 0)
    for (const cell of per) for (let e = 0; e < 6; e++) expect(Math.abs(cell.slice(e * 5, e * 5 + 5).reduce((a, b) => a + b, 0))).toBeLessThan(1e-6);
  });

  it('keeps tf.memory().numTensors flat over 200 steps', async () => {
    // 4×4 images, batch 2: the smallest NB201 supernet, so 200 Λ-DARTS steps stay quick.
    const s = new Search({ ...tiny, epochs: 100, C: 1 }, tinyData(1, 4, 8, 2));
    for (let i = 0; i < 5; i++) await s.step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) await s.step();
    expect(tf.memory().numTensors).toBe(before);
    s.dispose();
  });

  it('disposes everything it holds', async () => {
    const before = tf.memory().numTensors;
    const s = new Search(tiny, tinyData(2));
    await s.step();
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(['darts', 'darts2', 'lambda'] as const)('DARTS space s5, method %s, runs finite steps', async (method) => {
    const m = await run({ space: 's5', method, C: 2, layers: 3, batch: 2, seed: 1, epochs: 1 }, 2);
    for (const x of m) expect(x.nonFinite).toBeNull();
    expect(m[1].genotype).toMatch(/^Genotype\(normal=\[\('[a-z_0-9]+', [01]\)/);
  });

  it.each(['s1', 's2', 's3', 's4', 'darts'] as const)('space %s builds and steps with Λ-DARTS', async (space) => {
    const m = await run({ space, method: 'lambda', C: 2, layers: 5, batch: 2, seed: 2, epochs: 1 }, 1);
    expect(m[0].nonFinite).toBeNull();
    expect(Number.isFinite(m[0].trainCorr)).toBe(true);
    expect(m[0].epsilon).toBeGreaterThan(0);
  });
});
