import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import type { RunConfig } from '../../src/core/config';
import { makeSearchData } from '../../src/data/pipeline';
import { makeSynthetic } from '../../src/data/synthetic';
import { runSeeds, type SeedProgress, type SeedRow } from '../../src/eval/multiseed';
import { parseNb201Table, type Nb201Table } from '../../src/eval/nb201-table';
import { formatMarkdown, meanStd, reproduceRecords, summarize } from '../../src/eval/seed-table';
import { parseSeeds } from '../../src/eval/node-data';
import { ALL_SKIP, BEST_C10, nb201Text, useCpu } from './helpers';

const row = (o: Partial<SeedRow>): SeedRow => ({
  method: 'darts', seed: 0, arch: ALL_SKIP, nb201: null, skipCount: 6, paramFreeCount: 6, finalTrainCorr: 0.1, finalValidCorr: 0.1,
  finalTrainAcc: 0.9, finalValidAcc: 0.4, steps: 960, wallS: 125, epochs: [], nonFinite: null, ...o,
});
const nb = (index: number, c10: number, c100: number, im: number, exact = true) => ({ index, exact, cifar10: c10, cifar100: c100, imagenet16: im });

describe('multi-seed tables', () => {
  it('mean ± std (population std, NaN ignored)', () => {
    const m = meanStd([1, 2, 3, 4, NaN]);
    expect(m.n).toBe(4);
    expect(m.mean).toBe(2.5);
    expect(m.std).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(meanStd([]).n).toBe(0);
  });

  it('formats the per-seed rows and the per-method summary as markdown', () => {
    const rows = [
      row({ seed: 0, nb201: nb(1835, 54.2967, 15.6067, 16.3222), skipCount: 6, finalTrainCorr: 0.4 }),
      row({ method: 'lambda', seed: 0, arch: BEST_C10, nb201: nb(6111, 94.3733, 73.22, 46.71), skipCount: 1, finalTrainCorr: 0.6, wallS: 4000 }),
      row({ seed: 1, nb201: nb(6111, 94.3733, 73.22, 46.71, false), skipCount: 2, finalTrainCorr: 0.2 }),
      row({ method: 'lambda', seed: 1, arch: '', nb201: null, skipCount: 0, finalTrainCorr: NaN, nonFinite: 'trainLoss', wallS: 30 }),
    ];
    const md = formatMarkdown(rows, 'test');
    const lines = md.trim().split('\n');
    expect(lines[0]).toBe('### test');
    expect(lines).toContain('| DARTS | 0 | `\\|skip_connect~0\\|+\\|skip_connect~0\\|skip_connect~1\\|+\\|skip_connect~0\\|skip_connect~1\\|skip_connect~2\\|` | 54.30 | 15.61 | 16.32 | 6 | 0.400 | 2 min |');
    expect(md).toContain('(isomorphic cell) | 94.37 |');
    expect(md).toContain('| Λ-DARTS | 1 | — (stopped: trainLoss not finite) | — | — | — | 0 | — | 30.0 s |');
    // every row of a table has the same number of unescaped pipes
    for (const l of lines.filter((x) => x.startsWith('| DARTS') || x.startsWith('| Λ-DARTS'))) expect(l.replace(/\\\|/g, '').split('|').length).toBe(l.includes(' ± ') ? 10 : 11);
    expect(md).toContain('| DARTS | 2 | 74.34 ± 20.04 | 44.41 ± 28.81 | 31.52 ± 15.19 | 4.0 ± 2.0 | 0.300 ± 0.100 | 2 min |');
    expect(md).toContain('| Λ-DARTS | 2 | 94.37 ± 0.00 |');
    expect(md).toContain('| 0.5 ± 0.5 | 0.600 ± 0.000 | 34 min |');
    expect(md).toContain('| Λ-DARTS | 0 | `\\|nor_conv_3x3~0');
    expect(md).toContain('| 1 | 0.600 | 1 h 7 min |');
    const s = summarize(rows);
    expect(s.map((x) => x.method)).toEqual(['darts', 'lambda']);
    expect(s[1].cifar10!.n).toBe(1);
  });

  it('reproduce records carry exactly the specified fields', () => {
    const recs = reproduceRecords([row({ nb201: nb(1835, 54.2967, 15.6, 16.3), wallS: 1.23456 }), row({ method: 'lambda', finalTrainCorr: NaN })]);
    expect(Object.keys(recs[0])).toEqual(['method', 'seed', 'arch', 'nb201_cifar10_test', 'skip_count', 'final_train_corr', 'wall_s']);
    expect(recs[0]).toEqual({ method: 'darts', seed: 0, arch: ALL_SKIP, nb201_cifar10_test: 54.2967, skip_count: 6, final_train_corr: 0.1, wall_s: 1.235 });
    expect(recs[1].nb201_cifar10_test).toBeNull();
    expect(recs[1].final_train_corr).toBeNull();
  });

  it('seed lists', () => {
    expect(parseSeeds('0,1,2,3')).toEqual([0, 1, 2, 3]);
    expect(parseSeeds('0-2,7')).toEqual([0, 1, 2, 7]);
    expect(() => parseSeeds('a')).toThrow(/'a' is not a seed/);
    expect(() => parseSeeds('1,1')).toThrow(/repeats/);
  });
});

describe('runSeeds', () => {
  let table: Nb201Table;
  beforeAll(async () => {
    await useCpu();
    table = parseNb201Table(nb201Text());
  });
  const cfg: Partial<RunConfig> = { space: 'nb201', C: 2, N: 1, batch: 4, epochs: 2, lambda: 0.25 };
  const makeData = (seed: number) => {
    const rng = new Rng(seed);
    return makeSearchData(makeSynthetic(16, { size: 4, classes: 3, channels: 3 }, new Rng(9)), undefined, { imageSize: 4, batch: 4, limit: 8, augment: false }, rng);
  };

  it('runs every (seed, method) seed-major and reduces each run to its row and trajectory', async () => {
    const progress: SeedProgress[] = [];
    const steps: { method: string; seed: number; corr: number; epoch: number; genotype: string; skip: number }[] = [];
    const rows = await runSeeds({
      methods: ['darts', 'lambda'], seeds: [0, 1], config: cfg, makeData, table,
      onProgress: (p) => progress.push(p),
      onStep: (m, s) => steps.push({ method: s.cfg.method, seed: s.cfg.seed, corr: m.trainCorr, epoch: m.epoch, genotype: m.genotype, skip: m.skipCount }),
    });
    expect(rows.map((r) => `${r.method}${r.seed}`)).toEqual(['darts0', 'lambda0', 'darts1', 'lambda1']);
    expect(progress).toHaveLength(16);
    expect(progress[5]).toMatchObject({ run: 1, runs: 4, method: 'lambda', seed: 0, step: 2, totalSteps: 4 });
    expect(progress[15].etaSeconds).toBe(0);
    for (const r of rows) {
      const mine = steps.filter((s) => s.method === r.method && s.seed === r.seed);
      expect(r.steps).toBe(4);
      expect(r.arch).toBe(mine[3].genotype);
      expect(r.skipCount).toBe(r.arch.split('skip_connect').length - 1);
      const e = table.lookup(r.arch)!;
      expect(r.nb201).toEqual({ index: e.index, exact: true, cifar10: e.cifar10, cifar100: e.cifar100, imagenet16: e.imagenet16 });
      const last = mine.filter((s) => s.epoch === 1);
      expect(r.finalTrainCorr).toBeCloseTo((last[0].corr + last[1].corr) / 2, 12);
      expect(r.epochs.map((x) => x.epoch)).toEqual([0, 1]);
      expect(r.epochs[0].nb201Cifar10).toBe(table.accuracy(mine[1].genotype));
      expect(r.epochs[1].lambdaE).toBe(r.method === 'lambda' ? 0.25 : 0);
      expect(r.wallS).toBeGreaterThan(0);
      expect(r.nonFinite).toBeNull();
    }
    // the same seed and data reproduce the run (as npm run search -- --seed would)
    const again = await runSeeds({ methods: ['lambda'], seeds: [1], config: cfg, makeData, table, maxSteps: 3 });
    expect(again[0].steps).toBe(3);
    expect(again[0].epochs[0].genotype).toBe(rows[3].epochs[0].genotype);
  });

  it('stops between runs when aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    expect(await runSeeds({ methods: ['darts'], seeds: [0, 1], config: cfg, makeData, signal: ac.signal })).toEqual([]);
  });
});

describe('figure-1 points', () => {
  it('pair Λ with the NB201 accuracy of the step’s genotype', async () => {
    const { alignmentPoint } = await import('../../src/eval/trace');
    const t = parseNb201Table(nb201Text());
    const p = alignmentPoint({ step: 7, epoch: 1, trainCorr: 0.3, validCorr: 0.2, skipCount: 6, genotype: ALL_SKIP }, t);
    expect(p).toMatchObject({ step: 7, trainCorr: 0.3, skipCount: 6, exact: true });
    expect(p.cifar10).toBeCloseTo(54.2967, 3);
    expect(p.imagenet16).toBeCloseTo(16.3222, 3);
    expect(alignmentPoint({ step: 0, epoch: 0, trainCorr: 0, validCorr: 0, skipCount: 0, genotype: "Genotype(normal=[], normal_concat=[], reduce=[], reduce_concat=[])" }, t).cifar10).toBeNull();
    expect(alignmentPoint({ step: 0, epoch: 0, trainCorr: 0, validCorr: 0, skipCount: 6, genotype: ALL_SKIP }, null).cifar10).toBeNull();
  });
});

describe('reproduce presets', () => {
  it('paper is the issue’s setting; small and micro are cheaper versions of it', async () => {
    const { REPRODUCE_PRESETS } = await import('../../src/eval/presets');
    const { makeConfig } = await import('../../src/core/config');
    const p = REPRODUCE_PRESETS.paper;
    expect(p.seeds).toEqual([0, 1, 2, 3]);
    expect(p.methods).toEqual(['darts', 'lambda']);
    expect(makeConfig(p.config)).toMatchObject({ space: 'nb201', C: 8, N: 1, imageSize: 16, batch: 64, archLr: 3e-3, lambda: 0.25, epsilon0: 1e-4, lambdaRamp: true, augment: false, epochs: 30, limit: 2000 });
    expect(makeConfig(REPRODUCE_PRESETS.small.config)).toMatchObject({ C: 8, imageSize: 16, limit: 512, epochs: 30 });
    expect(makeConfig(REPRODUCE_PRESETS.micro.config)).toMatchObject({ C: 4, imageSize: 8, batch: 32, limit: 256, epochs: 30, augment: false });
  });
});
