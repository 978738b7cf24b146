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

declare global {
  interface Window {
    __ready: boolean;
    /**
     * Sets the tfjs backend the way the app's worker does (with its kernel fixes); resolves to the
     * backend actually in use (null when none).
     */
    __setBackend(name: string): Promise<string | null>;
    /** runBench from src/core/bench.ts on the current backend (loaded on first use). */
    __bench(opts: BenchOptions): Promise<BenchResult>;
    /** ms per step of a Search on synthetic data (first `warmup` steps not counted). */
    __timeSearch(config: Partial<RunConfig>, steps: number, warmup?: number): Promise<number[]>;
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

window.tf = tf;
window.__ready = true;
