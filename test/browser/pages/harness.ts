/**
 * A generic page for running the numeric core in the browser from Node (test/browser/chromium.ts):
 *   await page.evaluate(() => window.__setBackend('webgpu'))   // → 'webgpu', or what is set instead
 *   await page.evaluate((o) => window.__bench(o), opts)        // src/core/bench.ts runBench
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { BenchOptions, BenchResult } from '../../../src/core/bench';
import type { RunConfig } from '../../../src/core/config';
import { useBackend } from '../../../src/worker/backend';

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  isFallbackAdapter: boolean;
  maxBufferSize: number;
  features: string[];
}

export interface CpuThreadCheck {
  error?: string;
  isolated: boolean;
  shared: boolean;
  threads: number;
  problem: string | null;
  /** Jobs that ran on more than one thread during the 2-thread computation. */
  jobs: number;
  /** Per output (value, dx, dw): 2 threads gave the same bits as 1. */
  identical: boolean[];
  maxDiff: number;
  maxRef: number;
}

export interface KernelCheckRow {
  name: string;
  maxDiff: number;
  maxRef: number;
  oursMs: number;
  stockMs: number;
}

declare global {
  interface Window {
    __ready: boolean;
    /**
     * Sets the tfjs backend the way the app's worker does (with its kernel fixes); resolves to the
     * backend actually in use (null when none).
     */
    __setBackend(name: string): Promise<string | null>;
    /** tfjs's stock kernels (true) or this project's (false) on the current backend; resolves to it. */
    __stockKernels(on: boolean): Promise<string>;
    /** runBench from src/core/bench.ts on the current backend (loaded on first use). */
    __bench(opts: BenchOptions): Promise<BenchResult>;
    /** ms per step of a Search on synthetic data (first `warmup` steps not counted). */
    __timeSearch(config: Partial<RunConfig>, steps: number, warmup?: number): Promise<number[]>;
    /**
     * The project's WebGPU kernels (src/core/kernels/webgpu) against tfjs's stock kernels on random
     * inputs, forward and gradients: per case the max |ours − stock| and max |stock|, and ms per
     * call of each (after a warm-up; `time: false` skips timing, 0 ms). `leaked`: tensors left over;
     * `kernels`: this project's kernels registered for webgpu afterwards. Needs the webgpu backend set.
     */
    __webgpuKernelCheck(opts?: { time?: boolean }): Promise<{ rows: KernelCheckRow[]; leaked: number; kernels: string[] }>;
    /**
     * The CPU kernels' helper threads in a module worker (threads.worker.ts): a stride-2 conv and its
     * gradients on 1 and 2 threads and on the stock kernels; `error` when the worker failed.
     */
    __cpuThreadCheck(): Promise<CpuThreadCheck>;
    /** navigator.gpu.requestAdapter() described, or null when there is no adapter. */
    __adapter(): Promise<AdapterInfo | null>;
    tf: typeof tf;
  }
}

window.__setBackend = async (name) => {
  let ok = false;
  try {
    ok = await useBackend(name);
  } catch (e) {
    console.warn(`setBackend(${name}) failed: ${(e as Error).message}`);
  }
  const now = tf.getBackend();
  if (!ok) console.warn(`setBackend(${name}) returned false; backend is ${now}`);
  return now ?? null;
};

window.__stockKernels = async (on) => {
  const b = tf.getBackend();
  if (b === 'webgpu') (await import('../../../src/core/kernels/webgpu/index')).useFastWebgpuKernels(!on);
  if (b === 'cpu') (await import('../../../src/core/kernels/cpu/index')).useFastCpuKernels(!on);
  return b;
};

window.__bench = async (opts) => (await import('../../../src/core/bench')).runBench(opts);

window.__timeSearch = async (config, steps, warmup = 1) => {
  const [{ Search }, { makeConfig }, { Rng }, { makeSynthetic }, { makeSearchData }] = await Promise.all([
    import('../../../src/core/search'), import('../../../src/core/config'), import('../../../src/core/rng'),
    import('../../../src/data/synthetic'), import('../../../src/data/pipeline'),
  ]);
  const cfg = makeConfig(config);
  const rng = new Rng(cfg.seed);
  const n = 4 * cfg.batch;
  const ds = makeSynthetic(2 * n, { size: cfg.imageSize, classes: 10, channels: 3 }, rng);
  const search = new Search(cfg, makeSearchData(ds, undefined, { imageSize: cfg.imageSize, batch: cfg.batch, limit: n, augment: false }, rng));
  const times: number[] = [];
  try {
    for (let i = 0; i < warmup + steps; i++) {
      const t0 = performance.now();
      await search.step();
      if (i >= warmup) times.push(performance.now() - t0);
    }
  } finally {
    search.dispose();
  }
  return times;
};

window.__adapter = async () => {
  if (!('gpu' in navigator)) return null;
  const a = await navigator.gpu.requestAdapter();
  if (!a) return null;
  const info = (a as GPUAdapter & { info?: GPUAdapterInfo & { isFallbackAdapter?: boolean } }).info;
  return {
    vendor: info?.vendor ?? '', architecture: info?.architecture ?? '', description: info?.description ?? '',
    isFallbackAdapter: !!(info?.isFallbackAdapter ?? a.isFallbackAdapter),
    maxBufferSize: a.limits.maxBufferSize, features: [...a.features].map(String),
  };
};

window.__cpuThreadCheck = () => new Promise((resolve) => {
  const worker = new Worker(new URL('./threads.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<CpuThreadCheck>) => {
    resolve(e.data);
    worker.terminate();
  };
  worker.onerror = (e) => resolve({ error: e.message || 'worker error' } as CpuThreadCheck);
  worker.postMessage(null);
});

window.__webgpuKernelCheck = async ({ time: timed = true } = {}) => {
  const [{ useFastWebgpuKernels, fastWebgpuKernelsInstalled }, { Rng }, { avgPool3, batchNorm, mixedSum }] = await Promise.all([
    import('../../../src/core/kernels/webgpu/index'), import('../../../src/core/rng'), import('../../../src/core/ops'),
  ]);
  const rng = new Rng(7);
  const rand = (shape: number[]) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
  /** f returns tensors (value and gradients) computed with whichever kernels are registered. */
  const cases: [string, () => tf.Tensor[]][] = [];
  const convCase = (name: string, xs: number[], ws: number[], stride: number, pad: 'same' | 'valid' | number, dil = 1) => {
    const x = rand(xs), w = rand(ws);
    const yShape = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad, 'NHWC', dil).shape;
    const r = rand(yShape);
    cases.push([name, () => {
      const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad, 'NHWC', dil), r));
      const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad, 'NHWC', dil);
      return dil === 1 ? [y, ...tf.grads(loss)([x, w])] : [y];
    }]);
  };
  convCase('conv3x3 s1 same [4,8,8,3]→5', [4, 8, 8, 3], [3, 3, 3, 5], 1, 'same');
  convCase('conv3x3 s2 pad1 [2,9,9,4]→6', [2, 9, 9, 4], [3, 3, 4, 6], 2, 1);
  convCase('conv1x1 [8,16,16,8]→16', [8, 16, 16, 8], [1, 1, 8, 16], 1, 0);
  convCase('conv1x1 s2 valid [4,8,8,4]→4', [4, 8, 8, 4], [1, 1, 4, 4], 2, 'valid');
  convCase('conv3x3 demo [64,16,16,8]→8', [64, 16, 16, 8], [3, 3, 8, 8], 1, 1);
  convCase('conv3x3 dil2 [2,10,10,3]→4 (fwd)', [2, 10, 10, 3], [3, 3, 3, 4], 1, 'same', 2);
  const mmCase = (name: string, as: number[], bs: number[], tA: boolean, tB: boolean, grads = true) => {
    const a = rand(as), b = rand(bs);
    const r = rand(tf.matMul(a, b, tA, tB).shape);
    const loss = (p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.matMul(p, q, tA, tB), r));
    cases.push([name, () => [tf.matMul(a, b, tA, tB), ...(grads ? tf.grads(loss)([a, b]) : [])]]);
  };
  mmCase('mixed sum [1,12]·[12,16384]', [1, 12], [12, 16384], false, false);
  mmCase('mixed sum [1,5]·[5,131072] (split-K grad)', [1, 5], [5, 131072], false, false);
  mmCase('head [64,32]·[32,10]', [64, 32], [32, 10], false, false);
  mmCase('Aᵀ·B [300,7]ᵀ·[300,9]', [300, 7], [300, 9], true, false);
  mmCase('A·Bᵀ [6,700]·[5,700]ᵀ (split-K)', [6, 700], [5, 700], false, true);
  mmCase('batched [3,4,5]·[3,5,6]', [3, 4, 5], [3, 5, 6], false, false);
  mmCase('broadcast [1,4,5]·[3,5,6] (fwd; tfjs has no broadcast gradient)', [1, 4, 5], [3, 5, 6], false, false, false);
  const sumCase = (name: string, K: number, xs: number[]) => {
    const outs = Array.from({ length: K }, () => rand(xs) as tf.Tensor4D);
    const w = tf.softmax(rand([K])) as tf.Tensor1D, r = rand(xs);
    const loss = (...t: tf.Tensor[]) => tf.sum(tf.mul(mixedSum(t.slice(1) as tf.Tensor4D[], t[0] as tf.Tensor1D), r));
    cases.push([name, () => [mixedSum(outs, w), ...tf.grads(loss)([w, ...outs])]]);
  };
  sumCase('weighted sum 12 × [16,16,16,4]', 12, [16, 16, 16, 4]);
  sumCase('weighted sum 4 × [64,16,16,8]', 4, [64, 16, 16, 8]);
  sumCase('weighted sum 35 × [2,3,3,5] (scalar, 6 chunks)', 35, [2, 3, 3, 5]);
  sumCase('weighted sum 2 × [3,1,1,2]', 2, [3, 1, 1, 2]);
  const poolCase = (name: string, xs: number[], stride: number) => {
    const x = rand(xs) as tf.Tensor4D, r = rand(avgPool3(x, stride).shape);
    cases.push([name, () => [avgPool3(x, stride), ...tf.grads((a: tf.Tensor) => tf.sum(tf.mul(avgPool3(a as tf.Tensor4D, stride), r)))([x])]]);
  };
  poolCase('avg pool 3×3 s1 [4,8,8,8]', [4, 8, 8, 8], 1);
  poolCase('avg pool 3×3 s2 [2,9,9,6] (scalar, odd size)', [2, 9, 9, 6], 2);
  poolCase('avg pool 3×3 s2 [3,8,8,4]', [3, 8, 8, 4], 2);
  poolCase('avg pool 3×3 s1 [64,16,16,8]', [64, 16, 16, 8], 1);
  const bnCase = (name: string, xs: number[], shift: number) => {
    const x = tf.add(rand(xs), shift), r = rand(xs);
    cases.push([name, () => {
      const stats: { meanVar: tf.Tensor }[] = [];
      const f = { w: () => { throw new Error('no weights'); }, stats, noiseSeed: 0, noiseCount: 0 } as unknown as Parameters<typeof batchNorm>[2];
      const y = batchNorm(x as tf.Tensor4D, { name: 'bn', channels: xs[3] }, f);
      const fg = { ...f, stats: undefined } as unknown as Parameters<typeof batchNorm>[2];
      const [g] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(batchNorm(a as tf.Tensor4D, { name: 'bn', channels: xs[3] }, fg), r)))([x]);
      return [y, g, stats[0].meanVar];
    }]);
  };
  bnCase('batchnorm [16,16,16,4]', [16, 16, 16, 4], 0);
  bnCase('batchnorm [64,16,16,24] mean 3', [64, 16, 16, 24], 3);
  bnCase('batchnorm [3,5,7,6] (one chunk)', [3, 5, 7, 6], -1);
  const time = async (fn: () => tf.Tensor[]) => {
    if (!timed) return 0;
    for (let i = 0; i < 2; i++) tf.dispose(tf.tidy(fn));
    const reps = 3;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) {
      const o = tf.tidy(fn);
      await o[0].data();
      tf.dispose(o);
    }
    return (performance.now() - t0) / reps;
  };
  const rows: KernelCheckRow[] = [];
  const before = tf.memory().numTensors; // the cases' inputs stay alive; anything more is a leak
  for (const [name, fn] of cases) {
    useFastWebgpuKernels(false);
    const ref = await Promise.all(tf.tidy(fn).map(async (t) => { const d = await t.data(); t.dispose(); return d; }));
    const stockMs = await time(fn);
    useFastWebgpuKernels(true);
    const got = await Promise.all(tf.tidy(fn).map(async (t) => { const d = await t.data(); t.dispose(); return d; }));
    const oursMs = await time(fn);
    let maxDiff = ref.length === got.length ? 0 : Infinity, maxRef = 0;
    ref.forEach((r, i) => r.forEach((v, j) => {
      maxRef = Math.max(maxRef, Math.abs(v));
      const d = Math.abs(v - got[i][j]);
      maxDiff = Number.isNaN(d) || d > maxDiff ? (Number.isNaN(d) ? Infinity : d) : maxDiff;
    }));
    rows.push({ name, maxDiff, maxRef, oursMs, stockMs });
  }
  const kernels = ['LambdaDartsBnForward', 'LambdaDartsBnBackward', 'LambdaDartsWeightedSum', 'LambdaDartsWeightedSumGrad', 'LambdaDartsAvgPool3', 'LambdaDartsAvgPool3Grad'].filter((k) => tf.getKernel(k, 'webgpu'));
  if (fastWebgpuKernelsInstalled()) kernels.unshift('Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'BatchMatMul');
  return { rows, leaked: tf.memory().numTensors - before, kernels };
};

window.tf = tf;
window.__ready = true;
