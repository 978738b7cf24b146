/**
 * The page's side of the worker protocol: sends commands, feeds snapshots into the ChartStore
 * (outside React), and folds everything else into one small immutable state object for React
 * (useSyncExternalStore), refreshed at most every PROGRESS_MS while runs are stepping.
 */
import type { Checkpoint } from '../core/checkpoint';
import { checkFileSize } from '../data/errors';
import type { BackendName, Command, HotParams, RaceInfo, RunState, RunStatus, StartOptions, UploadFile, WorkerMessage } from '../worker/protocol';
import type { History } from '../worker/history';
import { ChartStore } from './store';

export interface RunProgress {
  /** Steps recorded per run. */
  steps: number[];
  statuses: (RunStatus | null)[];
  roundsPerSec: number;
  tensors: number;
}

export interface ClientState {
  backend: { name: BackendName; reason: string; adapter: string } | null;
  race: RaceInfo | null;
  state: RunState | 'starting';
  progress: RunProgress | null;
  /** Bumped with every progress refresh (readouts re-read the store). */
  tick: number;
  error: string | null;
  lost: string | null;
  upload: { busy: boolean; error: string | null; message: string | null };
  hot: { params: HotParams; step: number } | null;
  replay: boolean;
}

const INITIAL: ClientState = {
  backend: null, race: null, state: 'starting', progress: null, tick: 0, error: null, lost: null,
  upload: { busy: false, error: null, message: null }, hot: null, replay: false,
};

const PROGRESS_MS = 200;

export class RunClient {
  readonly store = new ChartStore();
  private worker: Worker | null = null;
  private current: ClientState = INITIAL;
  private listeners = new Set<() => void>();
  private progressTimer: ReturnType<typeof setTimeout> | null = null;
  private lastProgress = 0;
  private pending: RunProgress | null = null;
  onCheckpoint: ((run: number, ck: Checkpoint) => void) | null = null;
  private sending: File[] = [];
  /** The files of the upload the runs use (the evaluation worker reads them again). */
  uploadedFiles: File[] | null = null;

  constructor(private readonly makeWorker: () => Worker, private options: StartOptions) {}

  /** Starts the worker (idempotent); returns the stop function for a React effect. */
  connect = (): (() => void) => {
    if (!this.worker) {
      const w = this.makeWorker();
      w.onmessage = (ev: MessageEvent<WorkerMessage>) => this.receive(ev.data);
      w.onerror = (ev) => this.update({ error: ev.message || 'the search worker failed to load' });
      this.worker = w;
      this.current = { ...INITIAL, replay: this.store.replay };
      this.send({ type: 'start', options: this.options });
    }
    return () => {
      this.worker?.terminate();
      this.worker = null;
    };
  };

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getState = (): ClientState => this.current;

  play = () => this.send({ type: 'resume' });
  pause = () => this.send({ type: 'pause' });
  step = () => this.send({ type: 'step' });
  reset = () => {
    this.update({ error: null });
    this.send({ type: 'reset' });
  };
  set = (params: HotParams) => this.send({ type: 'set', params });
  speed = (speed: number) => this.send({ type: 'speed', speed });
  checkpoint = (run: number) => this.send({ type: 'checkpoint', run });
  recover = (run?: number) => {
    this.update({ error: null, lost: null });
    this.send({ type: 'recover', run });
  };
  loseDevice = () => this.send({ type: 'debug-lose-device' });

  /** New options (a cold change): the runs restart from step 0. */
  start = (options: StartOptions) => {
    this.options = options;
    this.update({ error: null, hot: null });
    this.send({ type: 'start', options });
  };

  /** Checks sizes, reads the files and hands them to the worker (buffers transferred). */
  upload = async (files: File[]): Promise<void> => {
    if (!files.length) return;
    try {
      for (const f of files) checkFileSize(f.name, f.size);
      this.update({ upload: { busy: true, error: null, message: `reading ${files.map((f) => f.name).join(', ')}…` } });
      const payload: UploadFile[] = await Promise.all(files.map(async (f) => ({ name: f.name, buffer: await f.arrayBuffer() })));
      this.update({ upload: { busy: true, error: null, message: `decoding ${files.map((f) => f.name).join(', ')}…` } });
      this.sending = files;
      this.worker?.postMessage({ type: 'upload', files: payload } satisfies Command, payload.map((f) => f.buffer));
    } catch (e) {
      this.update({ upload: { busy: false, error: (e as Error).message, message: null } });
    }
  };

  enterReplay = (race: RaceInfo, histories: History[]) => {
    this.pause();
    this.store.enterReplay(race, histories);
    this.update({ replay: true });
  };

  /** Replay: show row `row` of the imported histories. */
  scrub = (row: number) => {
    this.store.setCursor(row);
    this.update({ tick: this.current.tick + 1 });
  };

  exitReplay = () => {
    this.store.exitReplay();
    this.update({ replay: false, tick: this.current.tick + 1 });
  };

  private send(cmd: Command): void {
    this.worker?.postMessage(cmd);
  }

  private receive(msg: WorkerMessage): void {
    switch (msg.type) {
      case 'ready':
        return this.update({ backend: { name: msg.backend, reason: msg.reason, adapter: msg.adapter } });
      case 'run':
        this.store.setRace(msg.info);
        this.pending = null;
        return this.update({ race: msg.info, progress: null, error: null, lost: null, tick: this.current.tick + 1 });
      case 'state':
        this.flushProgress();
        return this.update({ state: msg.state });
      case 'snapshot': {
        this.store.applySnapshot(msg.snapshot);
        const prev = this.pending ?? this.current.progress;
        const steps = this.current.race?.runs.map((_, i) => this.liveSteps(i)) ?? [];
        const statuses = this.current.race?.runs.map((_, i) => msg.snapshot.runs.find((u) => u.run === i)?.status ?? prev?.statuses[i] ?? null) ?? [];
        this.pending = { steps, statuses, roundsPerSec: msg.snapshot.roundsPerSec || prev?.roundsPerSec || 0, tensors: msg.snapshot.tensors };
        return this.scheduleProgress();
      }
      case 'hot':
        return this.update({ hot: { params: msg.params, step: msg.step } });
      case 'dataset':
        if (msg.ok) this.uploadedFiles = this.sending;
        return this.update({ upload: msg.ok ? { busy: false, error: null, message: `loaded ${msg.name}${msg.notes.length ? ` (${msg.notes.join('; ')})` : ''}` } : { busy: false, error: msg.error, message: null } });
      case 'checkpoint':
        return this.onCheckpoint?.(msg.run, msg.checkpoint);
      case 'lost':
        return this.update({ lost: msg.message });
      case 'error':
        return this.update({ error: msg.message });
    }
  }

  private liveSteps(run: number): number {
    return this.store.liveLength(run);
  }

  private scheduleProgress(): void {
    const wait = this.lastProgress + PROGRESS_MS - performance.now();
    if (wait <= 0) this.flushProgress();
    else this.progressTimer ??= setTimeout(() => this.flushProgress(), wait);
  }

  private flushProgress(): void {
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.progressTimer = null;
    if (!this.pending) return;
    this.lastProgress = performance.now();
    const progress = this.pending;
    this.pending = null;
    this.update({ progress, tick: this.current.tick + 1 });
  }

  private update(patch: Partial<ClientState>): void {
    this.current = { ...this.current, ...patch };
    for (const fn of this.listeners) fn();
  }
}
