/**
 * The page's side of the evaluation worker (worker/eval-protocol.ts): starts it on the first job
 * (not at page load: a second tfjs backend costs memory), re-sends the race's uploaded files to it,
 * and folds its messages into one immutable state for React (useSyncExternalStore), as nb201.ts
 * does for the NAS-Bench-201 table. One retraining and one multi-seed view; the worker queues jobs.
 */
import { useSyncExternalStore } from 'react';
import type { Method } from '../core/config';
import type { SeedProgress, SeedRow } from '../eval/multiseed';
import type { RetrainResult } from '../eval/retrain-run';
import type { EvalCommand, EvalMessage, MultiSeedJob, RetrainCell, RetrainJob, RetrainJobOptions, RetrainRunProgress } from '../worker/eval-protocol';
import type { BackendName, UploadFile } from '../worker/protocol';

export type JobStatus = 'queued' | 'running' | 'cancelling' | 'done' | 'cancelled' | 'failed';

interface JobView {
  id: number;
  status: JobStatus;
  /** Dataset description once the job loaded its data. */
  dataset: string | null;
  notes: string[];
  error: string | null;
  /** performance.now() at submit and at the end (wall time of the job). */
  t0: number;
  t1: number | null;
}

export interface RetrainView extends JobView {
  kind: 'nb201' | 'darts';
  cells: RetrainCell[];
  options: RetrainJobOptions;
  runs: RetrainRunProgress[];
  results: RetrainResult[] | null;
}

export interface SeedView extends JobView {
  method: Method;
  seeds: number[];
  maxSteps: number;
  space: string;
  epochs: number;
  progress: SeedProgress | null;
  rows: SeedRow[];
}

export interface EvalState {
  backend: { name: BackendName; reason: string; adapter: string } | null;
  retrain: RetrainView | null;
  multiseed: SeedView | null;
  /** A worker-level error (no backend, a failed upload). */
  error: string | null;
}

const INITIAL: EvalState = { backend: null, retrain: null, multiseed: null, error: null };
/** After a cancel, the worker gets this long to stop at a step boundary before it is terminated. */
export const CANCEL_GRACE_MS = 15_000;

const isActive = (s: JobStatus | undefined) => s === 'queued' || s === 'running' || s === 'cancelling';

export class EvalClient {
  private worker: Worker | null = null;
  private state: EvalState = INITIAL;
  private listeners = new Set<() => void>();
  private nextId = 1;
  /** The upload spec ('upload:NAMES') whose files the worker has. */
  private sentUpload: string | null = null;
  private killTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly makeWorker: () => Worker) {}

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getState = (): EvalState => this.state;

  /** Trains `job.cells` side by side; `files` are the race's uploaded files when its dataset is an upload. */
  retrain = async (job: RetrainJob, o: { backends?: BackendName[]; files?: File[] | null } = {}): Promise<void> => {
    const id = this.nextId++;
    const kind = job.config.space === 'nb201' ? 'nb201' : 'darts';
    const steps = { done: 0, total: 0, etaS: NaN, trainLoss: NaN, testAcc: null, epochAcc: [] };
    this.update({ retrain: { id, status: 'queued', dataset: null, notes: [], error: null, t0: performance.now(), t1: null, kind, cells: job.cells, options: job.options, runs: job.cells.map(() => ({ ...steps })), results: null } });
    await this.submit({ type: 'retrain', id, job }, job.config.dataset, o);
  };

  multiseed = async (job: MultiSeedJob, o: { backends?: BackendName[]; files?: File[] | null } = {}): Promise<void> => {
    const id = this.nextId++;
    this.update({
      multiseed: {
        id, status: 'queued', dataset: null, notes: [], error: null, t0: performance.now(), t1: null, method: job.method, seeds: job.seeds, maxSteps: job.maxSteps,
        space: job.config.space, epochs: job.config.epochs, progress: null, rows: [],
      },
    });
    await this.submit({ type: 'multiseed', id, job }, job.config.dataset, o);
  };

  cancel = (id: number): void => {
    this.send({ type: 'cancel', id });
    this.patchJob(id, { status: 'cancelling' });
    this.killTimer ??= setTimeout(() => {
      // a step that takes longer than the grace period (a huge net, a hung device): start over
      this.killTimer = null;
      const { retrain, multiseed } = this.state;
      if (![retrain, multiseed].some((j) => j?.status === 'cancelling')) return;
      this.terminate();
      for (const j of [retrain, multiseed]) if (j && isActive(j.status)) this.patchJob(j.id, { status: 'cancelled', t1: performance.now() });
    }, CANCEL_GRACE_MS);
  };

  /** Stops the worker (page unload, tests); the next job starts a fresh one. */
  terminate = (): void => {
    this.worker?.terminate();
    this.worker = null;
    this.sentUpload = null;
  };

  private async submit(cmd: EvalCommand, dataset: string, o: { backends?: BackendName[]; files?: File[] | null }): Promise<void> {
    try {
      this.ensureWorker(o.backends);
      if (dataset.startsWith('upload:') && this.sentUpload !== dataset && o.files?.length) {
        // the search worker holds its own decoded copy; the File handles are still the page's
        const payload: UploadFile[] = await Promise.all(o.files.map(async (f) => ({ name: f.name, buffer: await f.arrayBuffer() })));
        this.worker!.postMessage({ type: 'upload', files: payload } satisfies EvalCommand, payload.map((f) => f.buffer));
        this.sentUpload = dataset;
      }
      this.send(cmd);
    } catch (e) {
      if ('id' in cmd) this.patchJob(cmd.id, { status: 'failed', error: (e as Error).message, t1: performance.now() });
    }
  }

  private ensureWorker(backends?: BackendName[]): void {
    if (this.worker) return;
    const w = this.makeWorker();
    w.onmessage = (ev: MessageEvent<EvalMessage>) => this.receive(ev.data);
    w.onerror = (ev) => this.update({ error: ev.message || 'the evaluation worker failed to load' });
    this.worker = w;
    this.send({ type: 'init', backends });
  }

  private send(cmd: EvalCommand): void {
    this.worker?.postMessage(cmd);
  }

  /** Applies a worker message (public for tests). */
  receive(msg: EvalMessage): void {
    switch (msg.type) {
      case 'ready':
        return this.update({ backend: { name: msg.backend, reason: msg.reason, adapter: msg.adapter } });
      case 'dataset':
        if (!msg.ok) this.update({ error: `the evaluation worker could not decode the uploaded files: ${msg.error}` });
        return;
      case 'started':
        return this.patchJob(msg.id, { status: this.jobOf(msg.id)?.status === 'cancelling' ? 'cancelling' : 'running', dataset: msg.dataset, notes: msg.notes });
      case 'retrain-progress': {
        const r = this.state.retrain;
        if (r?.id === msg.id) this.update({ retrain: { ...r, runs: msg.runs } });
        return;
      }
      case 'seed-progress': {
        const m = this.state.multiseed;
        if (m?.id === msg.id) this.update({ multiseed: { ...m, progress: msg.progress } });
        return;
      }
      case 'seed-row': {
        const m = this.state.multiseed;
        if (m?.id === msg.id) this.update({ multiseed: { ...m, rows: [...m.rows, msg.row] } });
        return;
      }
      case 'done':
        return this.patchJob(msg.id, { status: msg.cancelled ? 'cancelled' : 'done', t1: performance.now(), ...(msg.results ? { results: msg.results } : {}) });
      case 'error':
        if (msg.id === undefined) return this.update({ error: msg.message });
        return this.patchJob(msg.id, { status: 'failed', error: msg.message, t1: performance.now() });
    }
  }

  private jobOf(id: number): JobView | null {
    const { retrain, multiseed } = this.state;
    return retrain?.id === id ? retrain : multiseed?.id === id ? multiseed : null;
  }

  private patchJob(id: number, p: Partial<JobView> & { results?: RetrainResult[] }): void {
    const { retrain, multiseed } = this.state;
    const { results, ...common } = p;
    if (retrain?.id === id) this.update({ retrain: { ...retrain, ...common, ...(results ? { results } : {}) } });
    else if (multiseed?.id === id) this.update({ multiseed: { ...multiseed, ...common } });
    if (this.killTimer && ![this.state.retrain, this.state.multiseed].some((j) => j?.status === 'cancelling')) {
      clearTimeout(this.killTimer);
      this.killTimer = null;
    }
  }

  private update(p: Partial<EvalState>): void {
    this.state = { ...this.state, ...p };
    for (const l of this.listeners) l();
  }
}

/** Whether a job of this view is still queued or running. */
export const jobActive = (v: { status: JobStatus } | null): boolean => !!v && isActive(v.status);

export const evalClient = new EvalClient(() => new Worker(new URL('../worker/eval-worker.ts', import.meta.url), { type: 'module', name: 'eval' }));

export function useEval(client: EvalClient = evalClient): EvalState {
  return useSyncExternalStore(client.subscribe, client.getState);
}
