/**
 * The evaluation worker's jobs (src/worker/eval-jobs.ts) on the tfjs CPU backend in Node, with the
 * worker's own data loading (worker/data.ts: synthetic data, uploaded CIFAR-10 records): retraining
 * side by side with throttled progress, multi-seed rows, cancel, errors, no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeConfig, type RunConfig } from '../../src/core/config';
import { decodeUpload, loadRaw, searchDataFor } from '../../src/worker/data';
import type { EvalMessage, RetrainJobOptions } from '../../src/worker/eval-protocol';
import { EvalJobs } from '../../src/worker/eval-jobs';
import { nextMacrotask } from '../../src/worker/ticks';
import { ALL_SKIP, BEST_C10, DARTS_V2, useCpu } from '../eval/helpers';

const NB201_ARCH = /^\|[a-z0-9_]+~0\|\+\|[a-z0-9_]+~0\|[a-z0-9_]+~1\|\+\|[a-z0-9_]+~0\|[a-z0-9_]+~1\|[a-z0-9_]+~2\|$/;
const CIFAR = resolve(__dirname, '../../../shared/data/cifar10/data_batch_1_first4000.bin');

/** Synthetic race data: 64 training images (loadRaw: 2·limit, at least 64) and 16 test images, 8×8. */
const raceConfig = (over: Partial<RunConfig> = {}): RunConfig =>
  makeConfig({ space: 'nb201', C: 2, N: 1, imageSize: 8, batch: 4, limit: 8, epochs: 2, dataset: 'synthetic', seed: 0, ...over });

const options = (over: Partial<RetrainJobOptions> = {}): RetrainJobOptions => ({
  C: 2, N: 1, layers: 3, epochs: 2, batch: 16, lr: 0.1, imageSize: 8, limit: 0, testLimit: 0, augment: false, cutout: 0, dropPath: 0, auxiliary: false, ...over,
});

/** Jobs with the worker's real data functions; `now` frozen at 0 unless given (progress then flushes only at epoch ends). */
function harness(o: { now?: () => number; onPost?: (m: EvalMessage, jobs: EvalJobs) => void } = {}) {
  const msgs: EvalMessage[] = [];
  const jobs: EvalJobs = new EvalJobs({
    post: (m) => {
      msgs.push(m);
      o.onPost?.(m, jobs);
    },
    loadRaw: (cfg) => loadRaw(cfg, '/'),
    searchData: searchDataFor,
    decodeUpload,
    yieldTask: nextMacrotask,
    now: o.now ?? (() => 0),
  });
  const of = <T extends EvalMessage['type']>(type: T) => msgs.filter((m): m is Extract<EvalMessage, { type: T }> => m.type === type);
  return { msgs, jobs, of };
}

beforeAll(useCpu);

describe('evaluation jobs', () => {
  it('retrains two NB201 cells side by side: progress per epoch, test accuracy, parameters, no leaks', async () => {
    const { jobs, of, msgs } = harness();
    const before = tf.memory().numTensors;
    jobs.handle({ type: 'retrain', id: 7, job: { config: raceConfig(), options: options(), cells: [{ label: 'DARTS', method: 'darts', genotype: ALL_SKIP }, { label: 'Λ-DARTS', method: 'lambda', genotype: BEST_C10 }] } });
    await jobs.idle();
    expect(of('error')).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    const started = of('started');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ id: 7, kind: 'retrain' });
    expect(started[0].dataset).toMatch(/^synthetic .*: 64 training \/ 16 test images at 8×8$/);
    // frozen clock: the first step passes the throttle, then only the final message (with every epoch's accuracy)
    const prog = of('retrain-progress');
    expect(prog.map((p) => p.runs.map((r) => r.done))).toEqual([[1, 0], [8, 8]]);
    const lastP = prog[prog.length - 1].runs;
    for (const r of lastP) {
      expect(r.total).toBe(8);
      expect(r.epochAcc).toHaveLength(2);
      expect(r.epochAcc.every((a) => a !== null && a >= 0 && a <= 1)).toBe(true);
      expect(r.testAcc).toBe(r.epochAcc[1]);
      expect(r.etaS).toBe(0);
      expect(Number.isFinite(r.trainLoss)).toBe(true);
    }
    expect(prog[0].runs[0].etaS).toBeGreaterThan(0);
    const done = of('done');
    expect(done).toHaveLength(1);
    expect(done[0].cancelled).toBe(false);
    const [a, b] = done[0].results!;
    expect(a.genotype).toBe(ALL_SKIP);
    expect(b.genotype).toBe(BEST_C10);
    expect(a.steps).toBe(8);
    expect(a.testImages).toBe(16);
    expect(a.testAcc).toBe(lastP[0].testAcc);
    expect(b.testAcc).toBe(lastP[1].testAcc);
    expect(a.params).toBeLessThan(b.params); // skips have no weights
    expect(a.options).toMatchObject({ C: 2, N: 1, epochs: 2, lr: 0.1, seed: 0 });
    expect(a.wallS).toBeGreaterThan(0);
    expect(msgs[msgs.length - 1]).toBe(done[0]);
  });

  it('throttles progress to one message per PROGRESS_MS (plus the final one)', async () => {
    let t = 0;
    const { jobs, of } = harness({ now: () => (t += 30) }); // every call 30 ms later
    jobs.handle({ type: 'retrain', id: 1, job: { config: raceConfig(), options: options({ epochs: 1, batch: 4 }), cells: [{ label: 'DARTS', method: 'darts', genotype: BEST_C10 }] } });
    await jobs.idle();
    const prog = of('retrain-progress');
    expect(prog[prog.length - 1].runs[0].done).toBe(16);
    // 16 steps, 30 ms apart: every 4th passes the 100 ms gate (1, 5, 9, 13), then the final flush
    expect(prog.map((p) => p.runs[0].done)).toEqual([1, 5, 9, 13, 16]);
  });

  it('runs K seeds of a method one after another: one row per seed, NB201 arch strings, no leaks', async () => {
    const { jobs, of } = harness();
    const before = tf.memory().numTensors;
    jobs.handle({ type: 'multiseed', id: 3, job: { config: raceConfig(), method: 'lambda', seeds: [4, 9], maxSteps: 3 } });
    await jobs.idle();
    expect(of('error')).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    expect(of('started')[0]).toMatchObject({ id: 3, kind: 'multiseed', notes: [] });
    const rows = of('seed-row').map((m) => m.row);
    expect(rows.map((r) => r.seed)).toEqual([4, 9]);
    for (const r of rows) {
      expect(r.method).toBe('lambda');
      expect(r.arch).toMatch(NB201_ARCH);
      expect(r.steps).toBe(3);
      expect(r.skipCount).toBe(r.arch.split('skip_connect').length - 1);
      expect(Number.isFinite(r.finalTrainCorr)).toBe(true);
      expect(r.nb201).toBeNull(); // the page looks accuracies up in its own table
    }
    const prog = of('seed-progress').map((m) => m.progress);
    // frozen clock: the very first step and the last run's last step pass the throttle
    expect(prog.map((p) => [p.run, p.step, p.totalSteps, p.seed])).toEqual([[0, 1, 3, 4], [1, 3, 3, 9]]);
    expect(prog[0].etaSeconds).toBeGreaterThan(0);
    expect(prog[1].etaSeconds).toBe(0);
    expect(of('done')).toEqual([{ type: 'done', id: 3, cancelled: false }]);
  });

  it('cancels a running retraining between steps (partial results) and a queued job before it starts', async () => {
    const { jobs, of } = harness({
      onPost: (m, j) => {
        if (m.type === 'retrain-progress' && m.id === 1) j.handle({ type: 'cancel', id: 1 });
      },
    });
    const before = tf.memory().numTensors;
    const cells = [{ label: 'DARTS', method: 'darts' as const, genotype: BEST_C10 }];
    jobs.handle({ type: 'retrain', id: 1, job: { config: raceConfig(), options: options({ epochs: 50, batch: 8 }), cells } });
    jobs.handle({ type: 'multiseed', id: 2, job: { config: raceConfig(), method: 'darts', seeds: [0, 1], maxSteps: 0 } });
    jobs.handle({ type: 'cancel', id: 2 });
    await jobs.idle();
    expect(tf.memory().numTensors).toBe(before);
    const done = of('done');
    expect(done.map((d) => [d.id, d.cancelled])).toEqual([[2, true], [1, true]]);
    const r = done[1].results![0];
    expect(r.steps).toBe(1); // stopped right after the first progress message (step 1 of 400)
    expect(r.epochs).toEqual([]);
    expect(r.testAcc).toBeNaN(); // no epoch finished: no evaluation, and a cancel does not make one
    expect(r.testImages).toBe(0);
    expect(of('started').map((s) => s.id)).toEqual([1]);
    expect(of('seed-row')).toEqual([]);
  });

  it('stops a multi-seed run on cancel without a row for the cut-short seed', async () => {
    const { jobs, of } = harness({
      onPost: (m, j) => {
        if (m.type === 'seed-row') j.handle({ type: 'cancel', id: 5 });
      },
    });
    jobs.handle({ type: 'multiseed', id: 5, job: { config: raceConfig(), method: 'darts', seeds: [0, 1, 2], maxSteps: 2 } });
    await jobs.idle();
    expect(of('seed-row').map((m) => m.row.seed)).toEqual([0]);
    expect(of('done')).toEqual([{ type: 'done', id: 5, cancelled: true }]);
  });

  it('retrains a DARTS cell with cutout, drop-path and the auxiliary head', async () => {
    const { jobs, of } = harness();
    const before = tf.memory().numTensors;
    jobs.handle({
      type: 'retrain', id: 4,
      job: { config: raceConfig({ space: 's5', layers: 3 }), options: options({ C: 2, layers: 3, epochs: 1, batch: 32, lr: 0.025, cutout: 4, dropPath: 0.2, auxiliary: true, testLimit: 8 }), cells: [{ label: 'Λ-DARTS', method: 'lambda', genotype: DARTS_V2 }] },
    });
    await jobs.idle();
    expect(of('error')).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    const r = of('done')[0].results![0];
    expect(r.kind).toBe('darts');
    expect(r.options).toMatchObject({ C: 2, layers: 3, dropPath: 0.2, auxiliary: true, lr: 0.025 });
    expect(r.paramsWithAux).toBeGreaterThan(r.params);
    expect(r.steps).toBe(2);
    expect(r.testImages).toBe(8);
    expect(r.testAcc).toBeGreaterThanOrEqual(0);
    expect(r.testAcc).toBeLessThanOrEqual(1);
  });

  it('reports bad genotypes, a space mismatch and bad options by name, then takes the next job', async () => {
    const { jobs, of } = harness();
    const cfg = raceConfig();
    jobs.handle({ type: 'retrain', id: 1, job: { config: cfg, options: options(), cells: [{ label: 'DARTS', method: 'darts', genotype: '|conv~0|' }] } });
    jobs.handle({ type: 'retrain', id: 2, job: { config: cfg, options: options(), cells: [{ label: 'Λ-DARTS', method: 'lambda', genotype: DARTS_V2 }] } });
    jobs.handle({ type: 'retrain', id: 3, job: { config: cfg, options: options({ epochs: 0 }), cells: [{ label: 'DARTS', method: 'darts', genotype: ALL_SKIP }] } });
    jobs.handle({ type: 'multiseed', id: 4, job: { config: cfg, method: 'darts', seeds: [], maxSteps: 1 } });
    await jobs.idle();
    const errs = of('error');
    expect(errs.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect(errs[0].message).toMatch(/^DARTS: /);
    expect(errs[1].message).toMatch(/Λ-DARTS: a DARTS genotype, but the race searches nb201/);
    expect(errs[2].message).toMatch(/retrain option epochs: expected an integer ≥ 1, got 0/);
    expect(errs[3].message).toMatch(/no seeds/);
    expect(of('started')).toEqual([]);
  });

  it('retrains on an uploaded dataset sent to it (CIFAR-10 records), in order with the job', async () => {
    const { jobs, of } = harness();
    const bytes = readFileSync(CIFAR).subarray(0, 3073 * 80);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    jobs.handle({ type: 'upload', files: [{ name: 'data_batch_1.bin', buffer }] });
    jobs.handle({ type: 'retrain', id: 1, job: { config: raceConfig({ dataset: 'upload:data_batch_1.bin' }), options: options({ epochs: 1, batch: 32, limit: 32, testLimit: 16 }), cells: [{ label: 'DARTS', method: 'darts', genotype: ALL_SKIP }] } });
    await jobs.idle();
    expect(of('dataset')).toMatchObject([{ ok: true, spec: 'upload:data_batch_1.bin' }]);
    const s = of('started')[0];
    expect(s.dataset).toMatch(/CIFAR-10.*: 32 training \/ 16 test images at 8×8/);
    expect(s.notes.join(' ')).toMatch(/no test set/); // 80 records, no test_batch: 20% held out
    expect(of('done')[0].results![0].testImages).toBe(16);
  });
});
