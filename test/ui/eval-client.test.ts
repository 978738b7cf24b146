/**
 * The page's side of the evaluation worker (src/ui/evalClient.ts) with a fake Worker: lazy start,
 * the race's uploaded files sent again, messages folded into state, cancel with its watchdog; and the
 * panel's pure helpers (src/ui/evalTables.ts): defaults, NB201 scores from the page's table, exports.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeConfig } from '../../src/core/config';
import type { SeedRow } from '../../src/eval/multiseed';
import type { Nb201Entry, Nb201Table } from '../../src/eval/nb201-lookup';
import type { RetrainResult } from '../../src/eval/retrain-run';
import { CANCEL_GRACE_MS, EvalClient, jobActive } from '../../src/ui/evalClient';
import { retrainOptionDefaults, seedJson, seedMarkdown, withNb201 } from '../../src/ui/evalTables';
import { pageQuery, parsePageUrl } from '../../src/ui/url';
import type { EvalCommand, RetrainJob } from '../../src/worker/eval-protocol';
import { ALL_SKIP, BEST_C10 } from '../eval/helpers';

class FakeWorker {
  sent: EvalCommand[] = [];
  transfers: Transferable[][] = [];
  terminated = false;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  postMessage(m: EvalCommand, t: Transferable[] = []) {
    this.sent.push(m);
    this.transfers.push(t);
  }
  terminate() {
    this.terminated = true;
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const client = new EvalClient(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as Worker;
  });
  return { client, workers };
}

const cfg = makeConfig({ space: 'nb201', C: 2, imageSize: 8, limit: 16, epochs: 4, dataset: 'mnist' });
const job = (over: Partial<RetrainJob> = {}): RetrainJob => ({
  config: cfg, options: retrainOptionDefaults(cfg),
  cells: [{ label: 'DARTS', method: 'darts', genotype: ALL_SKIP }, { label: 'Λ-DARTS', method: 'lambda', genotype: BEST_C10 }], ...over,
});
const result = (genotype: string, testAcc: number): RetrainResult => ({
  genotype, kind: 'nb201', params: 100, paramsWithAux: 100, testAcc, testLoss: 1, testImages: 200, trainLoss: 1, trainAcc: 0.5, epochs: [], steps: 4, wallS: 1,
  options: {} as RetrainResult['options'],
});
const seedRow = (seed: number, arch: string, over: Partial<SeedRow> = {}): SeedRow => ({
  method: 'lambda', seed, arch, nb201: null, skipCount: arch.split('skip_connect').length - 1, paramFreeCount: 0, finalTrainCorr: 0.1 * (seed + 1), finalValidCorr: 0,
  finalTrainAcc: 0.5, finalValidAcc: 0.4, steps: 10, wallS: 2, epochs: [], nonFinite: null, ...over,
});

afterEach(() => vi.useRealTimers());

describe('evaluation client', () => {
  it('starts the worker on the first job, then folds its messages into the state', async () => {
    const { client, workers } = setup();
    expect(workers).toHaveLength(0); // nothing at page load
    const seen: string[] = [];
    client.subscribe(() => seen.push(client.getState().retrain?.status ?? '-'));
    await client.retrain(job(), { backends: ['webgl', 'cpu'] });
    expect(workers).toHaveLength(1);
    const w = workers[0];
    expect(w.sent.map((m) => m.type)).toEqual(['init', 'retrain']);
    expect(w.sent[0]).toEqual({ type: 'init', backends: ['webgl', 'cpu'] });
    const id = (w.sent[1] as { id: number }).id;
    let r = client.getState().retrain!;
    expect(r.status).toBe('queued');
    expect(r.runs).toHaveLength(2);
    expect(jobActive(r)).toBe(true);
    client.receive({ type: 'ready', backend: 'webgl', reason: 'WebGPU unavailable', adapter: '' });
    client.receive({ type: 'started', id, kind: 'retrain', dataset: 'MNIST: 32 training / 1,000 test images at 8×8', notes: [] });
    client.receive({ type: 'retrain-progress', id, runs: [{ done: 3, total: 8, etaS: 4, trainLoss: 2.2, testAcc: null, epochAcc: [] }, { done: 2, total: 8, etaS: 4, trainLoss: 2.3, testAcc: null, epochAcc: [] }] });
    r = client.getState().retrain!;
    expect(client.getState().backend).toEqual({ name: 'webgl', reason: 'WebGPU unavailable', adapter: '' });
    expect(r.status).toBe('running');
    expect(r.dataset).toMatch(/^MNIST/);
    expect(r.runs.map((x) => x.done)).toEqual([3, 2]);
    client.receive({ type: 'done', id: id + 100, cancelled: false, results: [] }); // another job's: ignored
    expect(client.getState().retrain!.status).toBe('running');
    client.receive({ type: 'done', id, cancelled: false, results: [result(ALL_SKIP, 0.3), result(BEST_C10, 0.6)] });
    r = client.getState().retrain!;
    expect(r.status).toBe('done');
    expect(r.results!.map((x) => x.testAcc)).toEqual([0.3, 0.6]);
    expect(r.t1).not.toBeNull();
    expect(jobActive(r)).toBe(false);
    expect(seen).toEqual(['queued', 'queued', 'running', 'running', 'done']); // one notification per message
    // a second job reuses the worker
    await client.multiseed({ config: cfg, method: 'lambda', seeds: [0, 1], maxSteps: 0 });
    expect(workers).toHaveLength(1);
    expect(w.sent.map((m) => m.type)).toEqual(['init', 'retrain', 'multiseed']);
  });

  it('sends the race’s uploaded files once per upload, transferring the buffers', async () => {
    const { client, workers } = setup();
    const up = makeConfig({ ...cfg, dataset: 'upload:a.bin,b.bin' });
    const files = [new File([new Uint8Array([1, 2, 3])], 'a.bin'), new File([new Uint8Array([4])], 'b.bin')];
    await client.retrain(job({ config: up }), { files });
    const w = workers[0];
    expect(w.sent.map((m) => m.type)).toEqual(['init', 'upload', 'retrain']);
    const u = w.sent[1] as Extract<EvalCommand, { type: 'upload' }>;
    expect(u.files.map((f) => [f.name, [...new Uint8Array(f.buffer)]])).toEqual([['a.bin', [1, 2, 3]], ['b.bin', [4]]]);
    expect(w.transfers[1]).toEqual(u.files.map((f) => f.buffer));
    await client.multiseed({ config: up, method: 'darts', seeds: [0], maxSteps: 1 }, { files });
    expect(w.sent.map((m) => m.type)).toEqual(['init', 'upload', 'retrain', 'multiseed']);
    // the built-in dataset needs no files; a failed decode is shown
    await client.retrain(job(), { files });
    expect(w.sent.filter((m) => m.type === 'upload')).toHaveLength(1);
    client.receive({ type: 'dataset', ok: false, error: 'a.bin: not a dataset' });
    expect(client.getState().error).toMatch(/could not decode the uploaded files: a.bin: not a dataset/);
  });

  it('collects multi-seed rows; a job error marks that job failed', async () => {
    const { client, workers } = setup();
    await client.multiseed({ config: cfg, method: 'lambda', seeds: [0, 1], maxSteps: 0 });
    const id = (workers[0].sent[1] as { id: number }).id;
    client.receive({ type: 'seed-progress', id, progress: { run: 0, runs: 2, method: 'lambda', seed: 0, step: 5, totalSteps: 16, etaSeconds: 20 } });
    client.receive({ type: 'seed-row', id, row: seedRow(0, ALL_SKIP) });
    let m = client.getState().multiseed!;
    expect(m.progress!.step).toBe(5);
    expect(m.rows.map((r) => r.seed)).toEqual([0]);
    client.receive({ type: 'error', id, message: 'trainLoss went NaN' });
    m = client.getState().multiseed!;
    expect(m.status).toBe('failed');
    expect(m.error).toBe('trainLoss went NaN');
    expect(m.rows).toHaveLength(1);
  });

  it('cancels: the worker stops at a step boundary, or is terminated after the grace period', async () => {
    vi.useFakeTimers();
    const { client, workers } = setup();
    await client.retrain(job());
    const id1 = (workers[0].sent[1] as { id: number }).id;
    client.cancel(id1);
    expect(workers[0].sent.at(-1)).toEqual({ type: 'cancel', id: id1 });
    expect(client.getState().retrain!.status).toBe('cancelling');
    client.receive({ type: 'done', id: id1, cancelled: true, results: [result(ALL_SKIP, NaN), result(BEST_C10, NaN)] });
    expect(client.getState().retrain!.status).toBe('cancelled');
    vi.advanceTimersByTime(CANCEL_GRACE_MS + 1);
    expect(workers[0].terminated).toBe(false); // it answered in time
    // a worker that does not answer is terminated, and the next job starts a fresh one
    await client.multiseed({ config: cfg, method: 'darts', seeds: [0], maxSteps: 0 });
    const id2 = (workers[0].sent.at(-1) as { id: number }).id;
    client.cancel(id2);
    vi.advanceTimersByTime(CANCEL_GRACE_MS - 1);
    expect(workers[0].terminated).toBe(false);
    vi.advanceTimersByTime(2);
    expect(workers[0].terminated).toBe(true);
    expect(client.getState().multiseed!.status).toBe('cancelled');
    await client.retrain(job());
    expect(workers).toHaveLength(2);
    expect(workers[1].sent.map((m) => m.type)).toEqual(['init', 'retrain']);
  });
});

describe('evaluation panel helpers', () => {
  it('teacher mode can hide the panel (hide=eval) and the link keeps it', () => {
    const { state, warnings } = parsePageUrl('?preset=tiny&hide=eval,seed');
    expect(warnings).toEqual([]);
    expect(state.hide).toEqual(['eval', 'seed']);
    expect(pageQuery(state)).toContain('hide=eval,seed');
  });

  it('default retraining options follow the race: image size, images it saw, space', () => {
    expect(retrainOptionDefaults(cfg)).toMatchObject({ C: 8, N: 1, epochs: 3, batch: 64, lr: 0.1, imageSize: 8, limit: 32, testLimit: 1000, augment: false });
    expect(retrainOptionDefaults({ space: 'nb201', imageSize: 16, limit: 2000 }).limit).toBe(2000);
    expect(retrainOptionDefaults({ space: 'nb201', imageSize: 16, limit: 0 }).limit).toBe(2000);
    expect(retrainOptionDefaults({ space: 's5', imageSize: 16, limit: 1000 })).toMatchObject({ C: 8, layers: 5, epochs: 2, lr: 0.025, limit: 1000, cutout: 0, dropPath: 0, auxiliary: false });
  });

  it('scores rows with the page’s NB201 table and exports the paper’s table', () => {
    const table = {
      source: 'nb201.csv',
      lookup: (g: string) => (g === BEST_C10 ? ({ index: 6111, arch: g, unique: g, cifar10: 94.37, cifar100: 73.2, imagenet16: 46.7, exact: true } as Nb201Entry)
        : g === ALL_SKIP ? ({ index: 1835, arch: g, unique: g, cifar10: 54.3, cifar100: 15.6, imagenet16: 16.3, exact: false } as Nb201Entry) : null),
    } as unknown as Nb201Table;
    const rows = [seedRow(0, BEST_C10), seedRow(1, ALL_SKIP), seedRow(2, '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|')];
    expect(withNb201(rows, null, 'nb201')).toBe(rows);
    expect(withNb201(rows, table, 's5')).toBe(rows);
    const scored = withNb201(rows, table, 'nb201');
    expect(scored.map((r) => r.nb201?.cifar10 ?? null)).toEqual([94.37, 54.3, null]);
    expect(scored[1].nb201!.exact).toBe(false);
    const md = seedMarkdown(scored, { space: 'nb201', epochs: 4, dataset: 'MNIST' });
    expect(md.split('\n')[0]).toBe('### Λ-DARTS on nb201, 3 seeds, 4 epochs (MNIST)');
    expect(md).toContain('| Λ-DARTS | 0 | `\\|nor_conv_3x3~0');
    expect(md).toContain('(isomorphic cell) | 54.30 |');
    expect(md).toContain('| Λ-DARTS | 3 | 74.34 ± 20.04 |'); // over the 2 seeds the table knows
    const j = JSON.parse(seedJson(scored, cfg, table, 12.5));
    expect(Object.keys(j)).toEqual(['config', 'seeds', 'table', 'rows', 'summary', 'wallS']);
    expect(j.wallS).toBe(12.5);
    expect(j.seeds).toEqual([0, 1, 2]);
    expect(j.table).toBe('nb201.csv');
    expect(j.rows[0].nb201.cifar10).toBe(94.37);
    expect(j.summary[0].cifar10.n).toBe(2);
    expect(j.summary[0].skipCount.mean).toBeCloseTo((1 + 6 + 0) / 3, 12);
  });
});
