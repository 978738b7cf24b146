/**
 * The evaluation worker's jobs, one after another: retraining the race's derived cells side by
 * side (src/eval/retrain-run.ts) and multi-seed searches (src/eval/multiseed.ts), with throttled
 * progress and cancel. No DOM, no `self`, no backend choice: eval-worker.ts wires those, and the
 * tests run this module on the tfjs CPU backend in Node.
 */
import type { RunConfig } from '../core/config';
import { Rng } from '../core/rng';
import type { LoadedData, SearchData } from '../data/types';
import { runSeeds } from '../eval/multiseed';
import { makeRetrainData } from '../eval/retrain-data';
import { retrainSideBySide } from '../eval/retrain-run';
import { parseGenotypeText } from '../eval/discrete';
import { PROGRESS_MS, type EvalCommand, type EvalMessage, type MultiSeedJob, type RetrainJob, type RetrainJobOptions, type RetrainRunProgress } from './eval-protocol';
import type { UploadFile } from './protocol';

export interface EvalDeps {
  post(msg: EvalMessage): void;
  /** The images behind a race's `dataset` (worker/data.ts loadRaw), with a note when it fell back. */
  loadRaw(cfg: RunConfig): Promise<{ raw: LoadedData; note: string }>;
  /** Train/valid halves of a search (worker/data.ts searchDataFor). */
  searchData(raw: LoadedData, cfg: RunConfig): SearchData;
  decodeUpload(files: UploadFile[]): Promise<{ ok: true; name: string; spec: string } | { ok: false; error: string }>;
  /** Awaited between steps: lets a cancel through (worker/ticks.ts nextMacrotask). */
  yieldTask(): Promise<void>;
  now?(): number;
}

type Queued = { id: number; ctrl: AbortController } & ({ kind: 'retrain'; job: RetrainJob } | { kind: 'multiseed'; job: MultiSeedJob });

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Space kind of a run configuration: NB201 or one of the DARTS-type spaces. */
export const spaceKind = (cfg: Pick<RunConfig, 'space'>): 'nb201' | 'darts' => (cfg.space === 'nb201' ? 'nb201' : 'darts');

/** Throws a message naming the first option out of range. */
export function checkRetrainOptions(o: RetrainJobOptions): void {
  const ints: [keyof RetrainJobOptions, number][] = [['C', 1], ['N', 1], ['layers', 2], ['epochs', 1], ['batch', 1], ['imageSize', 4], ['limit', 0], ['testLimit', 0], ['cutout', 0]];
  for (const [k, min] of ints) {
    const v = o[k] as number;
    if (!Number.isInteger(v) || v < min) throw new Error(`retrain option ${k}: expected an integer ≥ ${min}, got ${v}`);
  }
  if (!(o.lr > 0 && Number.isFinite(o.lr))) throw new Error(`retrain option lr: expected a positive number, got ${o.lr}`);
  if (!(o.dropPath >= 0 && o.dropPath < 1)) throw new Error(`retrain option dropPath: expected a probability in [0, 1), got ${o.dropPath}`);
}

export class EvalJobs {
  private queue: Queued[] = [];
  private current: Queued | null = null;
  /** Uploads decode in order with the jobs: a job waits for the upload sent before it. */
  private uploads: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly deps: EvalDeps) {
    this.now = deps.now ?? (() => performance.now());
  }

  /** Resolves when the queue is empty and no job runs (tests). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.current || this.queue.length ? setTimeout(check, 5) : resolve());
      check();
    });
  }

  handle(cmd: EvalCommand): void {
    switch (cmd.type) {
      case 'init':
        return;
      case 'upload':
        this.uploads = this.uploads.then(async () => {
          const r = await this.deps.decodeUpload(cmd.files);
          this.deps.post(r.ok ? { type: 'dataset', ok: true, name: r.name, spec: r.spec } : { type: 'dataset', ok: false, error: r.error });
        });
        return;
      case 'retrain':
      case 'multiseed':
        this.queue.push({ id: cmd.id, ctrl: new AbortController(), kind: cmd.type, job: cmd.job } as Queued);
        void this.pump();
        return;
      case 'cancel': {
        const q = this.queue.findIndex((j) => j.id === cmd.id);
        if (q >= 0) {
          this.queue.splice(q, 1);
          this.deps.post({ type: 'done', id: cmd.id, cancelled: true });
        } else if (this.current?.id === cmd.id) this.current.ctrl.abort();
        return;
      }
    }
  }

  private async pump(): Promise<void> {
    if (this.current) return;
    while (this.queue.length) {
      const j = (this.current = this.queue.shift()!);
      try {
        await this.uploads;
        if (j.kind === 'retrain') await this.retrain(j.id, j.job, j.ctrl.signal);
        else await this.multiseed(j.id, j.job, j.ctrl.signal);
      } catch (e) {
        this.deps.post({ type: 'error', id: j.id, message: message(e) });
      } finally {
        this.current = null;
      }
    }
  }

  /** The race's derived cells trained from scratch side by side on the race's dataset. */
  async retrain(id: number, job: RetrainJob, signal: AbortSignal): Promise<void> {
    if (!job.cells.length) throw new Error('no cells to retrain');
    const kind = spaceKind(job.config);
    for (const c of job.cells) {
      let k: string;
      try {
        k = parseGenotypeText(c.genotype).kind;
      } catch (e) {
        throw new Error(`${c.label}: ${message(e)}`);
      }
      if (k !== kind) throw new Error(`${c.label}: a ${k === 'nb201' ? 'NAS-Bench-201' : 'DARTS'} genotype, but the race searches ${job.config.space}`);
    }
    const o = job.options;
    checkRetrainOptions(o);
    const { raw, note } = await this.deps.loadRaw(job.config);
    const dataOpts = { imageSize: o.imageSize, batch: o.batch, limit: o.limit, testLimit: o.testLimit, augment: o.augment, cutout: kind === 'darts' ? o.cutout : 0 };
    // one data stream per cell, each from the same seed: identical batches in identical order
    const runs = job.cells.map((c) => ({ genotype: c.genotype, data: makeRetrainData(raw.train, raw.test, dataOpts, new Rng(job.config.seed)) }));
    const d = runs[0].data;
    this.deps.post({
      type: 'started', id, kind: 'retrain', dataset: `${d.name}: ${d.train.size.toLocaleString('en')} training / ${d.test.size.toLocaleString('en')} test images at ${d.imageSize}×${d.imageSize}`,
      notes: [note, ...d.notes].filter(Boolean),
    });
    if (signal.aborted) return void this.deps.post({ type: 'done', id, cancelled: true });
    const opts = {
      C: o.C, N: o.N, layers: o.layers, epochs: o.epochs, lr: o.lr, seed: job.config.seed, evalEvery: 1,
      ...(kind === 'darts' ? { dropPath: o.dropPath, auxiliary: o.auxiliary } : {}),
    };
    const steps = d.train.batchesPerEpoch * o.epochs;
    const progress: RetrainRunProgress[] = runs.map(() => ({ done: 0, total: steps, etaS: NaN, trainLoss: NaN, testAcc: null, epochAcc: [] }));
    const etas = runs.map(() => NaN);
    let last = -Infinity;
    const flush = () => {
      last = this.now();
      const etaS = etas.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
      this.deps.post({ type: 'retrain-progress', id, runs: progress.map((p) => ({ ...p, etaS, epochAcc: [...p.epochAcc] })) });
    };
    const results = await retrainSideBySide(runs, opts, (i, done, total, eta, loss, testAcc) => {
      const p = progress[i];
      p.done = done;
      p.total = total;
      p.trainLoss = loss;
      etas[i] = eta;
      const epochEnd = done % d.train.batchesPerEpoch === 0 || done === total;
      if (epochEnd) p.epochAcc.push(testAcc ?? null);
      if (testAcc !== undefined) p.testAcc = testAcc;
      // at most one message per PROGRESS_MS; epoch accuracies accumulate, so none is lost in between
      if (this.now() - last >= PROGRESS_MS) flush();
    }, signal, () => this.deps.yieldTask());
    flush();
    this.deps.post({ type: 'done', id, cancelled: signal.aborted, results });
  }

  /** K searches of one method with the race's configuration, one after another. */
  async multiseed(id: number, job: MultiSeedJob, signal: AbortSignal): Promise<void> {
    if (!job.seeds.length) throw new Error('no seeds to run');
    const { raw, note } = await this.deps.loadRaw(job.config);
    const first = this.deps.searchData(raw, { ...job.config, seed: job.seeds[0] });
    this.deps.post({
      type: 'started', id, kind: 'multiseed', dataset: `${first.name}: ${first.train.size.toLocaleString('en')} + ${first.valid.size.toLocaleString('en')} images at ${first.imageSize}×${first.imageSize}`,
      notes: note ? [note] : [],
    });
    let last = -Infinity;
    let pre: SearchData | null = first;
    await runSeeds({
      methods: [job.method], seeds: job.seeds, config: job.config, maxSteps: job.maxSteps, signal,
      makeData: (seed) => {
        const d = pre ?? this.deps.searchData(raw, { ...job.config, seed });
        pre = null;
        return d;
      },
      between: () => this.deps.yieldTask(),
      onProgress: (progress) => {
        const end = progress.run === progress.runs - 1 && progress.step === progress.totalSteps;
        if (this.now() - last < PROGRESS_MS && !end) return;
        last = this.now();
        this.deps.post({ type: 'seed-progress', id, progress });
      },
      // a search cut short by cancel is no seed of the table
      onRow: (row) => !signal.aborted && this.deps.post({ type: 'seed-row', id, row }),
    });
    this.deps.post({ type: 'done', id, cancelled: signal.aborted });
  }
}
