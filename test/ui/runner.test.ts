/** The race loop with fake searches (no tf): lockstep rounds, snapshots of new rows, NaN halts one run, recovery. */
import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../src/core/checkpoint';
import { makeConfig, type RunConfig } from '../../src/core/config';
import { NB201_OPS } from '../../src/core/spaces';
import { syntheticData } from '../../src/data/synthetic';
import { History } from '../../src/worker/history';
import type { RaceInfo, Snapshot, WorkerMessage } from '../../src/worker/protocol';
import { Runner, type RaceSearch } from '../../src/worker/runner';
import { fakeMetrics } from './helpers';

const E = 6, K = 5, L = 3;

class FakeSearch implements RaceSearch {
  readonly cfg: RunConfig;
  globalStep = 0;
  readonly stepsPerEpoch = 4;
  readonly net = {
    alphas: [{ name: 'arch_parameters', type: 'normal' as const, ops: Array.from({ length: E }, () => [...NB201_OPS]), numEdges: E, numOps: K }],
    mixCells: [0, 2, 4].map((cellIndex) => ({ cellIndex, type: 'normal' as const, alpha: 0, regularized: true })),
  };
  nanAt = -1;
  disposed = false;
  static all: FakeSearch[] = [];
  constructor(cfg: Partial<RunConfig>) {
    this.cfg = makeConfig(cfg);
    FakeSearch.all.push(this);
  }
  get totalSteps() { return this.cfg.epochs * this.stepsPerEpoch; }
  get done() { return this.globalStep >= this.totalSteps; }
  async step() {
    const s = this.globalStep++;
    const f = (n: number) => new Float32Array(n).fill(0.1);
    return fakeMetrics(s, {
      softmax: [f(E * K)], cellGradNormsTrain: f(L), cellGradNormsValid: f(L), votes: f(L * E * K), cosTrain: f(L * L), cosValid: f(L * L),
      nonFinite: s === this.nanAt ? 'validLoss' : null, genotype: `${this.cfg.method}-${s}`,
    });
  }
  setHot(over: Partial<RunConfig>) { Object.assign(this.cfg, over); }
  async exportCheckpoint(): Promise<Checkpoint> {
    return { format: 'lambda-darts-checkpoint/1', params: [], buffers: [], alpha: {}, meta: { step: this.globalStep } };
  }
  importCheckpoint(ck: Checkpoint) { this.globalStep = ck.meta!.step as number; }
  dispose() { this.disposed = true; }
}

function setup() {
  FakeSearch.all = [];
  const msgs: WorkerMessage[] = [];
  const raw = { train: syntheticData({ count: 64, size: 8, classes: 4, channels: 1, seed: 0 }).train, notes: [] };
  const runner = new Runner({
    post: (m) => msgs.push(m),
    makeSearch: (cfg) => new FakeSearch(cfg),
    loadRaw: async () => ({ raw, note: '' }),
    searchData: () => ({ train: { batchesPerEpoch: 4, size: 16, next: () => { throw new Error('unused'); } }, valid: { batchesPerEpoch: 4, size: 16, next: () => { throw new Error('unused'); } }, numClasses: 4, channels: 1, imageSize: 8, name: 'fake', synthetic: true }),
    decodeUpload: async () => ({ ok: false, error: 'nope' }),
    tensors: () => 0,
    recreateBackend: async () => undefined,
    loseDevice: () => false,
  });
  const histories: History[] = [];
  const until = async (pred: () => boolean, what: string) => {
    for (let i = 0; i < 400 && !pred(); i++) await new Promise((r) => setTimeout(r, 5));
    if (!pred()) throw new Error(`timed out waiting for ${what}; last messages: ${msgs.slice(-4).map((m) => m.type).join(', ')}`);
  };
  const apply = () => {
    for (const m of msgs.splice(0)) {
      if (m.type === 'run') {
        histories.length = 0;
        m.info.runs.forEach(() => histories.push(new History(m.info.widths)));
      }
      if (m.type === 'snapshot') for (const u of m.snapshot.runs) histories[u.run].appendRows(u.rows);
      seen.push(m);
    }
  };
  const seen: WorkerMessage[] = [];
  return { runner, msgs, seen, histories, apply, until };
}

describe('Runner (race loop)', () => {
  it('steps both runs in lockstep, sends only new rows, pauses, and halts a run on NaN while the other goes on', async () => {
    const t = setup();
    t.runner.handle({ type: 'start', options: { config: { epochs: 2, seed: 3 }, runs: ['darts', 'lambda'], autoplay: false } });
    await t.until(() => t.msgs.some((m) => m.type === 'state' && m.state === 'paused'), 'paused');
    t.apply();
    const info = (t.seen.find((m) => m.type === 'run') as { info: RaceInfo }).info;
    expect(info.runs.map((r) => [r.label, r.config.method, r.config.seed])).toEqual([['DARTS', 'darts', 3], ['Λ-DARTS', 'lambda', 3]]);
    expect(info.widths).toEqual({ softmax: 30, gradTrain: 3, gradValid: 3, votes: 90, cosTrain: 9, cosValid: 9 });
    expect(info.alphas[0].edges).toEqual(['0→1', '0→2', '1→2', '0→3', '1→3', '2→3']);

    t.runner.handle({ type: 'step' });
    await t.until(() => t.histories.length === 2 && (t.apply(), t.histories.every((h) => h.length === 1)), 'one round');
    t.runner.handle({ type: 'set', params: { lambda: 0.5 } });
    t.apply();
    expect(t.seen.some((m) => m.type === 'hot' && m.params.lambda === 0.5 && m.step === 1)).toBe(true);
    expect(FakeSearch.all.every((s) => s.cfg.lambda === 0.5)).toBe(true);

    FakeSearch.all[0].nanAt = 3;
    const seenAll = [...t.seen];
    t.runner.handle({ type: 'resume' });
    t.apply();
    t.seen.length = 0;
    await t.until(() => (t.apply(), t.seen.some((m) => m.type === 'state' && m.state === 'paused') && t.histories[1].length === 8), 'the race to end');
    expect(t.histories[0].length).toBe(3); // steps 0..2 recorded; step 3 was not finite
    expect(t.histories[1].length).toBe(8);
    const last = [...t.seen].reverse().find((m): m is { type: 'snapshot'; snapshot: Snapshot } => m.type === 'snapshot' && m.snapshot.runs.some((u) => u.run === 0))!;
    expect(last.snapshot.runs.find((u) => u.run === 0)!.status.halted).toEqual({ step: 4, metric: 'validLoss' });
    // every snapshot carried only rows that were new to the page
    const froms = [...seenAll, ...t.seen].filter((m) => m.type === 'snapshot').flatMap((m) => (m as { snapshot: Snapshot }).snapshot.runs.filter((u) => u.run === 1).map((u) => [u.rows.from, u.rows.count]));
    let next = 0;
    for (const [from, n] of froms) {
      expect(from).toBe(next);
      next += n;
    }

    t.runner.handle({ type: 'recover', run: 0 });
    await t.until(() => (t.apply(), t.histories[0].length === 0), 'recovery to the step-0 checkpoint');
    expect(FakeSearch.all[0].globalStep).toBe(0);
  });

  it('reset starts over with fresh searches; a failed upload keeps the run', async () => {
    const t = setup();
    t.runner.handle({ type: 'start', options: { config: { epochs: 1 }, runs: ['lambda'], autoplay: false } });
    await t.until(() => t.msgs.some((m) => m.type === 'state' && m.state === 'paused'), 'paused');
    t.runner.handle({ type: 'upload', files: [{ name: 'x.bin', buffer: new ArrayBuffer(3) }] });
    await t.until(() => t.msgs.some((m) => m.type === 'dataset'), 'upload answer');
    t.apply();
    expect(t.seen.find((m) => m.type === 'dataset')).toEqual({ type: 'dataset', ok: false, error: 'nope' });
    expect(FakeSearch.all).toHaveLength(1);
    t.runner.handle({ type: 'reset' });
    await t.until(() => FakeSearch.all.length === 2 && FakeSearch.all[0].disposed, 'a fresh search');
  });
});
