/**
 * K seeds of one or more methods, one run after another (interleaved by seed, so a partial
 * result already compares the methods), each reduced to the row the paper's tables show:
 * genotype, NB201 accuracies, skip count, final Λ, wall time — plus its per-epoch trajectory
 * (Λ and the genotype's NB201 accuracy over time: the paper's figure 1).
 */
import type { Method, RunConfig } from '../core/config';
import { Search, type StepMetrics } from '../core/search';
import type { SearchData } from '../data/types';
import type { Nb201Table } from './nb201-lookup';

export interface Nb201Scores {
  index: number;
  /** False when an isomorphic cell's row answered. */
  exact: boolean;
  cifar10: number;
  cifar100: number;
  imagenet16: number;
}

export interface SeedEpoch {
  epoch: number;
  genotype: string;
  skipCount: number;
  /** Means over the epoch's steps. */
  trainCorr: number;
  validCorr: number;
  trainAcc: number;
  validAcc: number;
  lambdaE: number;
  /** NB201 CIFAR-10 test accuracy of the end-of-epoch genotype, or null. */
  nb201Cifar10: number | null;
  wallS: number;
}

export interface SeedRow {
  method: Method;
  seed: number;
  /** Final genotype: NB201 arch string or DARTS Genotype(...) text. */
  arch: string;
  nb201: Nb201Scores | null;
  skipCount: number;
  paramFreeCount: number;
  /** Λ (train) averaged over the last epoch's steps (a single step's Λ is noisy). */
  finalTrainCorr: number;
  finalValidCorr: number;
  finalTrainAcc: number;
  finalValidAcc: number;
  steps: number;
  wallS: number;
  epochs: SeedEpoch[];
  /** Set when a metric went NaN/Inf and the run stopped there. */
  nonFinite: string | null;
}

export interface SeedProgress {
  /** 0-based index of the run among all runs, and their count. */
  run: number;
  runs: number;
  method: Method;
  seed: number;
  step: number;
  totalSteps: number;
  /** Seconds left over all runs (from the mean step time so far). */
  etaSeconds: number;
}

export interface RunSeedOptions {
  method: Method;
  seed: number;
  /** Run configuration (method and seed are overridden). */
  config: Partial<RunConfig>;
  data: SearchData;
  table?: Nb201Table | null;
  /** Stop each run after this many steps (0 = all epochs; for tests and previews). */
  maxSteps?: number;
  onStep?: (m: StepMetrics, search: Search) => void;
  onEpoch?: (e: SeedEpoch) => void;
  signal?: AbortSignal;
  /** Awaited after every step (a worker yields to its message queue there, so that a cancel gets through). */
  between?: () => Promise<void>;
}

export function nb201Scores(table: Nb201Table | null | undefined, arch: string): Nb201Scores | null {
  const e = table?.lookup(arch);
  return e ? { index: e.index, exact: e.exact, cifar10: e.cifar10, cifar100: e.cifar100, imagenet16: e.imagenet16 } : null;
}

/** One search to the end; returns its row. */
export async function runSeed(o: RunSeedOptions): Promise<SeedRow> {
  const t0 = performance.now();
  const s = new Search({ ...o.config, method: o.method, seed: o.seed }, o.data);
  const epochs: SeedEpoch[] = [];
  let acc: StepMetrics[] = [];
  let last: StepMetrics | null = null;
  let nonFinite: string | null = null;
  const limit = o.maxSteps && o.maxSteps > 0 ? Math.min(o.maxSteps, s.totalSteps) : s.totalSteps;
  const flush = () => {
    if (!acc.length) return;
    const m = acc[acc.length - 1];
    const mean = (f: (x: StepMetrics) => number) => acc.reduce((a, x) => a + f(x), 0) / acc.length;
    const e: SeedEpoch = {
      epoch: m.epoch, genotype: m.genotype, skipCount: m.skipCount,
      trainCorr: mean((x) => x.trainCorr), validCorr: mean((x) => x.validCorr), trainAcc: mean((x) => x.trainAcc), validAcc: mean((x) => x.validAcc),
      lambdaE: m.lambdaE, nb201Cifar10: nb201Scores(o.table, m.genotype)?.cifar10 ?? null, wallS: (performance.now() - t0) / 1000,
    };
    epochs.push(e);
    o.onEpoch?.(e);
    acc = [];
  };
  try {
    while (s.globalStep < limit && !o.signal?.aborted) {
      const m = await s.step();
      last = m;
      acc.push(m);
      o.onStep?.(m, s);
      if (m.nonFinite) {
        nonFinite = m.nonFinite;
        break;
      }
      if (m.stepInEpoch === s.stepsPerEpoch - 1) flush();
      await o.between?.();
    }
    flush();
  } finally {
    s.dispose();
  }
  const fin = epochs[epochs.length - 1];
  const arch = last?.genotype ?? '';
  return {
    method: o.method, seed: o.seed, arch, nb201: nb201Scores(o.table, arch),
    skipCount: last?.skipCount ?? 0, paramFreeCount: last?.paramFreeCount ?? 0,
    finalTrainCorr: fin?.trainCorr ?? NaN, finalValidCorr: fin?.validCorr ?? NaN, finalTrainAcc: fin?.trainAcc ?? NaN, finalValidAcc: fin?.validAcc ?? NaN,
    steps: last ? last.step + 1 : 0, wallS: (performance.now() - t0) / 1000, epochs, nonFinite,
  };
}

export interface RunSeedsOptions extends Omit<RunSeedOptions, 'method' | 'seed' | 'data' | 'onEpoch'> {
  methods: Method[];
  seeds: number[];
  /** The search data of a seed (its train/valid split and shuffles follow the seed). */
  makeData: (seed: number) => SearchData | Promise<SearchData>;
  onProgress?: (p: SeedProgress) => void;
  onEpoch?: (e: SeedEpoch, method: Method, seed: number) => void;
  /** Called with each finished row. */
  onRow?: (row: SeedRow) => void;
}

/** Every (seed, method) pair, seed-major; stops between runs when `signal` aborts. */
export async function runSeeds(o: RunSeedsOptions): Promise<SeedRow[]> {
  const rows: SeedRow[] = [];
  const order = o.seeds.flatMap((seed) => o.methods.map((method) => ({ seed, method })));
  // ETA from each method's own mean step time (a Λ-DARTS step costs ~2–3 DARTS steps)
  const spent = new Map<Method, { s: number; n: number }>();
  const perStep = (m: Method) => {
    const x = spent.get(m);
    if (x && x.n) return x.s / x.n;
    const all = [...spent.values()].reduce((a, v) => ({ s: a.s + v.s, n: a.n + v.n }), { s: 0, n: 0 });
    return all.n ? all.s / all.n : 0;
  };
  for (const [r, { seed, method }] of order.entries()) {
    if (o.signal?.aborted) return rows;
    const data = await o.makeData(seed);
    let tPrev = performance.now();
    const row = await runSeed({
      ...o, method, seed, data,
      onEpoch: (e) => o.onEpoch?.(e, method, seed),
      onStep: (m, s) => {
        const now = performance.now();
        const x = spent.get(method) ?? { s: 0, n: 0 };
        spent.set(method, { s: x.s + (now - tPrev) / 1000, n: x.n + 1 });
        tPrev = now;
        const total = o.maxSteps && o.maxSteps > 0 ? Math.min(o.maxSteps, s.totalSteps) : s.totalSteps;
        const left = (total - (m.step + 1)) * perStep(method) + order.slice(r + 1).reduce((a, q) => a + total * perStep(q.method), 0);
        o.onProgress?.({ run: r, runs: order.length, method, seed, step: m.step + 1, totalSteps: total, etaSeconds: left });
        o.onStep?.(m, s);
      },
    });
    rows.push(row);
    o.onRow?.(row);
  }
  return rows;
}
