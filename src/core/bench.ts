/**
 * The search-step benchmark, runnable in Node and in a browser page: median ms per step of
 * DARTS and Λ-DARTS for a preset supernet, the split into phases (forward/backward, the two Λ
 * passes, the α step, readback), kernel dispatches per step, and tf.memory() before/after.
 * Phases are timed by forcing completion with one small readback after each.
 */
import * as tf from '@tensorflow/tfjs';
import type { Method, RunConfig } from './config';
import { Search } from './search';
import { runPass } from './pass';
import { netContext } from './step';
import { Rng } from './rng';
import { alignment, epsilonOf } from './lambda';
import { sumN } from './optim';
import { makeSynthetic } from '../data/synthetic';
import { makeSearchData } from '../data/pipeline';
import { profileStep, type StepProfile } from './kernels/profile';

export const BENCH_PRESETS: Record<string, Partial<RunConfig>> = {
  /** A small NB201 supernet for quick checks. */
  tiny: { space: 'nb201', C: 4, N: 1, imageSize: 16, batch: 16 },
  /** The playground's collapse demo (ALGORITHM.md §8). */
  demo: { space: 'nb201', C: 8, N: 1, imageSize: 16, batch: 64 },
  /** The official NAS-Bench-201 search size. */
  official: { space: 'nb201', C: 16, N: 5, imageSize: 32, batch: 64 },
  /** A small DARTS-space (s5) supernet. */
  'darts-small': { space: 's5', C: 8, layers: 5, imageSize: 16, batch: 16 },
};

export interface BenchOptions {
  preset: string;
  method: Method;
  steps?: number;
  warmup?: number;
  /** Profile one extra step: dispatches (Identity/Reshape excluded) and kernel time per kernel type, forward/backward/other. */
  dispatches?: boolean;
  /** Time the phases separately (extra synced runs). */
  phases?: boolean;
}

export interface BenchResult {
  backend: string;
  preset: string;
  method: Method;
  msPerStep: number;
  stepTimes: number[];
  phases: { forwardBackward: number; lambdaPasses: number; archStep: number; readback: number } | null;
  dispatchesPerStep: number | null;
  /** Per kernel type: calls and ms in forward passes, backward passes and the rest (one profiled step). */
  kernels: StepProfile | null;
  memoryBefore: { numTensors: number; numBytes: number };
  memoryAfter: { numTensors: number; numBytes: number };
}

const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function sync(t: tf.Tensor | tf.Tensor[]): Promise<void> {
  const ts = Array.isArray(t) ? t : [t];
  const s = tf.tidy(() => sumN(ts.map((x) => tf.sum(x))));
  await s.data();
  s.dispose();
}

export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const preset = BENCH_PRESETS[o.preset];
  if (!preset) throw new Error(`unknown preset '${o.preset}'; known: ${Object.keys(BENCH_PRESETS).join(', ')}`);
  const cfg: Partial<RunConfig> = { ...preset, method: o.method, seed: 0, epochs: 50, lambda: 0.25, lambdaRamp: false };
  const rng = new Rng(0);
  const n = 4 * cfg.batch!;
  const ds = makeSynthetic(2 * n, { size: cfg.imageSize!, classes: 10, channels: 3 }, rng);
  const data = makeSearchData(ds, undefined, { imageSize: cfg.imageSize!, batch: cfg.batch!, limit: n, augment: false }, rng);
  const memoryBefore = { numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes };
  const search = new Search(cfg, data);
  const warm = o.warmup ?? 1;
  for (let i = 0; i < warm; i++) await search.step();
  const times: number[] = [];
  for (let i = 0; i < (o.steps ?? 3); i++) {
    const t0 = performance.now();
    await search.step();
    times.push(performance.now() - t0);
  }
  let dispatches: number | null = null;
  let kernels: StepProfile | null = null;
  if (o.dispatches) {
    kernels = await profileStep(async () => void (await search.step()));
    dispatches = kernels.dispatches;
  }
  const phases = o.phases ? await timePhases(search, data) : null;
  search.dispose();
  const memoryAfter = { numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes };
  return { backend: tf.getBackend(), preset: o.preset, method: o.method, msPerStep: median(times), stepTimes: times, phases, dispatchesPerStep: dispatches, kernels, memoryBefore, memoryAfter };
}

/** Times the phases of one step on the search's current state (median of 2 runs each). */
async function timePhases(search: Search, data: ReturnType<typeof makeSearchData>) {
  const net = search.net;
  const ctx = netContext(net);
  const ck = await search.exportCheckpoint();
  const { importTensors } = await import('./checkpoint');
  const st = importTensors(net, ck.params, ck.buffers, ck.alpha);
  const train = data.train.next();
  const valid = data.valid.next();
  const P = st.alpha.map((a) => tf.softmax(a) as tf.Tensor2D);
  const mix = () => net.mixCells.map((c) => tf.clone(P[c.alpha]) as tf.Tensor2D);
  const opts = { noiseSeed: 1, trackStats: true };
  const time = async (f: () => tf.Tensor[]) => {
    const r: number[] = [];
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      const out = tf.tidy(f);
      await sync(out);
      tf.dispose(out);
      r.push(performance.now() - t0);
    }
    return median(r);
  };
  const forwardBackward = await time(() => {
    const r = runPass(net, ctx.index, st.W, mix(), train, { wantW: true, wantMix: true, ...opts });
    return [...r.gW!, ...r.gMix!];
  });
  const regIdx = net.mixCells.map((c, i) => (c.regularized ? i : -1)).filter((i) => i >= 0);
  const pert = tf.tidy(() => {
    const r = runPass(net, ctx.index, st.W, mix(), train, { wantW: false, wantMix: true, ...opts });
    const al = alignment(tf.stack(regIdx.map((i) => tf.reshape(r.gMix![i], [-1]))) as tf.Tensor2D, 'corr');
    const eps = epsilonOf(al.d, 1e-4);
    const rows = tf.unstack(al.d);
    return net.mixCells.map((_, i) => (regIdx.includes(i) ? tf.reshape(tf.mul(rows[regIdx.indexOf(i)], eps), P[0].shape) : tf.zerosLike(P[0])));
  });
  const lambdaPasses = await time(() => {
    const m = mix();
    const f = runPass(net, ctx.index, st.W, m.map((x, i) => tf.sub(x, pert[i]) as tf.Tensor2D), train, { wantW: true, wantMix: false, ...opts });
    const b = runPass(net, ctx.index, st.W, m.map((x, i) => tf.add(x, pert[i]) as tf.Tensor2D), train, { wantW: true, wantMix: false, ...opts });
    return [...f.gW!, ...b.gW!];
  });
  const archStep = await time(() => runPass(net, ctx.index, st.W, mix(), valid, { wantW: false, wantMix: true, ...opts }).gMix!);
  // Readback: one concat of a step's metrics-sized arrays.
  const metricsSize = 11 + 2 * net.mixCells.length + net.mixCells.length * P[0].size + 2 * regIdx.length ** 2 + P.reduce((a, p) => a + p.size, 0);
  const probe = tf.zeros([metricsSize]);
  const t0 = performance.now();
  for (let i = 0; i < 5; i++) {
    const c = tf.add(probe, i);
    await c.data();
    c.dispose();
  }
  const readback = (performance.now() - t0) / 5;
  tf.dispose([probe, ...pert, ...P, ...st.W, ...st.buffers, ...st.alpha, train.x, train.y, valid.x, valid.y]);
  return { forwardBackward, lambdaPasses, archStep, readback };
}
