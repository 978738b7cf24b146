import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBench } from '../../src/core/bench';
import { installFastCpuKernels } from '../../src/core/kernels/cpu/index';
import { cli } from '../cli/run-cli';

describe('bench profile (CPU backend, fast kernels)', () => {
  beforeAll(async () => {
    tf.env().set('PROD', true);
    await tf.setBackend('cpu');
    installFastCpuKernels();
  });

  it('splits kernel calls and time into forward, backward and other; Λ-DARTS runs twice the passes of DARTS', async () => {
    const d = await runBench({ preset: 'tiny', method: 'darts', steps: 1, warmup: 1, dispatches: true });
    const l = await runBench({ preset: 'tiny', method: 'lambda', steps: 1, warmup: 1, dispatches: true });
    for (const r of [d, l]) {
      const k = r.kernels!;
      expect(k.timed).toBe(true);
      expect(k.totals.forward).toBeGreaterThan(0);
      expect(k.totals.backward).toBeGreaterThan(0);
      expect(k.totals.other).toBeGreaterThan(0);
      expect(r.dispatchesPerStep).toBe(k.dispatches);
      expect(r.memoryAfter.numTensors).toBe(r.memoryBefore.numTensors);
      // gradients of convolutions run only in the backward phase; the convolutions themselves only forward
      const bpf = k.byKernel.find((x) => x.name === 'Conv2DBackpropFilter')!;
      expect(bpf.calls.forward).toBe(0);
      expect(bpf.calls.backward).toBe(bpf.count);
      const conv = k.byKernel.find((x) => x.name === 'Conv2D')!;
      expect(conv.calls.forward).toBe(conv.count);
    }
    // DARTS: train pass + valid pass; Λ-DARTS: train, the two perturbed passes (eq. 8), valid.
    const fwd = (r: typeof d) => r.kernels!.byKernel.find((x) => x.name === 'Conv2D')!.calls.forward;
    expect(fwd(l)).toBe(2 * fwd(d));
  });

  it('npm run bench -- --json prints one array with the issue\'s fields and the kernel split', async () => {
    const r = await cli('bench.ts', ['--json', '--backends', 'cpu', '--presets', 'tiny', '--methods', 'darts', '--steps', '1', '--pytorch', 'false', '--threads', '2']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows).toHaveLength(1);
    const row = rows[0];
    for (const f of ['backend', 'preset', 'method', 'ms_per_step', 'dispatches_per_step', 'pytorch_ms_per_step', 'ratio']) expect(row).toHaveProperty(f);
    expect(row).toMatchObject({ backend: 'cpu', preset: 'tiny', method: 'darts', pytorch_ms_per_step: null, ratio: null, threads: 2 });
    expect(row.ms_per_step).toBeGreaterThan(0);
    expect(row.kernel_ms.forward).toBeGreaterThan(0);
    expect(row.kernel_ms.backward).toBeGreaterThan(0);
    expect(row.kernels.length).toBeGreaterThan(5);
    expect(row.kernels.reduce((a: number, k: { calls: number }) => a + k.calls, 0)).toBeGreaterThanOrEqual(row.dispatches_per_step);
  });
});
