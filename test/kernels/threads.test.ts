/**
 * The CPU kernels' helper threads (core/kernels/cpu/threads.ts, Node's spawner in cli/cpu-threads.ts):
 * real worker_threads over the shared WebAssembly memory. The convolutions must give the same bits
 * on 1 and 2 threads, match tfjs's stock kernels, and a whole Λ-DARTS search must not change.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCpuThreads, startNodeCpuThreads, stopCpuThreads } from '../../src/cli/cpu-threads';
import { CONV_THREADING } from '../../src/core/kernels/cpu/conv2d';
import { NOOP } from '../../src/core/kernels/cpu/conv_tasks';
import { cpuThreads, parallel, threadedJobCount } from '../../src/core/kernels/cpu/threads';
import { arenaView, sharedInstance } from '../../src/core/kernels/cpu/wasm';
import { Search, type StepMetrics } from '../../src/core/search';
import type { RunConfig } from '../../src/core/config';
import { tinyData } from '../core/helpers';
import { randT, relErr, run, useCpu } from './helpers';

const minMacs = CONV_THREADING.minMacs;

/** The three convolution kernels of one conv2d (value, dx, dw) on `threads` threads. */
async function convOn(threads: number, fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  expect(await startNodeCpuThreads(threads)).toBe(threads);
  return run(true, fn);
}

function convAndGrads(x: tf.Tensor, w: tf.Tensor, stride: number, pad: 'same' | 'valid' | number): () => tf.Tensor[] {
  const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad);
  const dy = randT(f(x, w).shape, 99);
  return () => [f(x, w), ...tf.grads((a: tf.Tensor, b: tf.Tensor) => f(a, b).mul(dy).sum())([x, w])];
}

describe('CPU kernel threads (worker_threads, shared WebAssembly memory)', () => {
  beforeAll(useCpu);
  afterAll(() => {
    stopCpuThreads();
    CONV_THREADING.minMacs = minMacs;
  });

  it('the kernels run over a shared memory in Node, and helpers start and answer', async () => {
    expect(sharedInstance()).not.toBeNull();
    expect(await startNodeCpuThreads(3)).toBe(3);
    expect(cpuThreads()).toBe(3);
    for (let i = 0; i < 200; i++) parallel(NOOP, [i]);
    stopCpuThreads();
    expect(cpuThreads()).toBe(1);
  });

  it('defaults: one thread on 1–2 cores (no net gain measured there), else every core up to 8', () => {
    expect([1, 2, 3, 4, 16].map((c) => defaultCpuThreads(c))).toEqual([1, 1, 3, 4, 8]);
  });

  it('a failing task throws on the caller and leaves the helpers usable', async () => {
    await startNodeCpuThreads(2);
    expect(() => parallel(12345, [])).toThrow(/unknown CPU kernel task 12345/);
    parallel(NOOP, []); // would hang if a helper had not checked in
    expect(cpuThreads()).toBe(2);
  });

  it('convolutions above CONV_THREADING.minMacs are threaded (same bits as one thread), smaller ones are not', async () => {
    const big = convAndGrads(randT([5, 32, 32, 16], 1), randT([3, 3, 16, 48], 2), 1, 1); // 35M multiply-adds each
    const small = convAndGrads(randT([4, 32, 32, 16], 1), randT([3, 3, 16, 48], 2), 1, 1); // 28M
    const one = await convOn(1, big);
    await startNodeCpuThreads(2);
    const j0 = threadedJobCount();
    const two = run(true, big);
    expect(threadedJobCount() - j0).toBe(4); // the value, the forward inside tf.grads, input grad, filter grad
    one.forEach((a, k) => expect(Array.from(two[k])).toEqual(Array.from(a)));
    run(true, small);
    expect(threadedJobCount() - j0).toBe(4);
  });

  it('helpers see the memory the caller grows while they wait (the largest arena of this file, grown with 2 threads)', async () => {
    CONV_THREADING.minMacs = minMacs;
    const before = arenaView().length;
    const big = convAndGrads(randT([2, 64, 64, 32], 3), randT([3, 3, 32, 64], 4), 1, 1); // 151M multiply-adds
    await startNodeCpuThreads(2);
    const two = run(true, big);
    expect(arenaView().length).toBeGreaterThan(before);
    const one = await convOn(1, big);
    one.forEach((a, k) => expect(Array.from(two[k])).toEqual(Array.from(a)));
  });

  const cases: [string, number[], number[], number, 'same' | 'valid' | number][] = [
    ['3×3 stride 1', [4, 12, 12, 8], [3, 3, 8, 8], 1, 1],
    ['3×3 stride 2', [6, 17, 17, 8], [3, 3, 8, 12], 2, 1],
    ['1×1 pointwise', [4, 16, 16, 8], [1, 1, 8, 16], 1, 'valid'],
    ['5×5, 3 images on 2 threads', [3, 9, 11, 5], [5, 5, 5, 7], 1, 'same'],
  ];
  for (const [name, xs, ws, stride, pad] of cases)
    it(`${name}: 1 and 2 threads give the same bits, and match the stock kernels`, async () => {
      CONV_THREADING.minMacs = 0;
      const fn = convAndGrads(randT(xs, 1), randT(ws, 2), stride, pad);
      const one = await convOn(1, fn);
      const two = await convOn(2, fn);
      one.forEach((a, k) => expect(Array.from(two[k])).toEqual(Array.from(a)));
      const stock = run(false, fn);
      expect(relErr(two, stock)).toBeLessThan(1e-5);
    });

  it('a Λ-DARTS search gives identical metrics on 1 and 2 threads (every convolution threaded)', async () => {
    CONV_THREADING.minMacs = 0;
    const cfg: Partial<RunConfig> = { space: 'nb201', method: 'lambda', C: 4, N: 1, batch: 8, epochs: 1, seed: 5, lambda: 0.25 };
    const steps = async (threads: number) => {
      await startNodeCpuThreads(threads);
      const s = new Search(cfg, tinyData(5));
      const out: StepMetrics[] = [];
      for (let i = 0; i < 3; i++) out.push({ ...(await s.step()), ms: 0 });
      s.dispose();
      return out;
    };
    const a = await steps(1), b = await steps(2);
    expect(b).toEqual(a);
    expect(Number.isFinite(a[2].trainLoss)).toBe(true);
  });
});
