/**
 * The race loop behind the worker: one Slot per method (same config, seed and batches), stepped
 * alternately while playing, or one round per `step` command, yielding a macrotask between steps
 * so that commands get through. Snapshots carry only new history rows, coalesced to at most one
 * per SNAPSHOT_MS. No DOM, no `self`, no tf: worker.ts wires the backend, Search and postMessage.
 */
import { makeConfig, type Method, type RunConfig } from '../core/config';
import type { Supernet } from '../core/network';
import type { LoadedData, SearchData } from '../data/types';
import { edgeLabels, widthsOf } from './layout';
import { METHOD_LABEL, type Command, type RaceInfo, type RunState, type RunUpdate, type StartOptions, type WorkerMessage } from './protocol';
import { Slot, type SearchLike } from './slot';
import { nextMacrotask } from './ticks';

/** About one animation frame at 30–60 Hz. */
export const SNAPSHOT_MS = 33;

/** A Search as the runner sees it: SearchLike plus the net description and epoch size. */
export interface RaceSearch extends SearchLike {
  readonly net: Pick<Supernet, 'alphas' | 'mixCells'>;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
}

export interface RunnerDeps {
  post(msg: WorkerMessage): void;
  makeSearch(cfg: Partial<RunConfig>, data: SearchData): RaceSearch;
  loadRaw(cfg: RunConfig): Promise<{ raw: LoadedData; note: string }>;
  searchData(raw: LoadedData, cfg: RunConfig): SearchData;
  decodeUpload(files: { name: string; buffer: ArrayBuffer }[]): Promise<{ ok: true; name: string; notes: string[]; spec: string } | { ok: false; error: string }>;
  /** Live tensor count (tf.memory().numTensors). */
  tensors(): number;
  /** After a lost device: a fresh backend (posts 'ready' itself). */
  recreateBackend(): Promise<void>;
  loseDevice(): boolean;
}

export class Runner {
  slots: Slot[] = [];
  private options: StartOptions = {};
  private playing = false;
  private pendingSteps = 0;
  private restartPending = false;
  private pumping = false;
  private lost = false;
  /** Bumped to abandon a pump stuck on a dead device. */
  private gen = 0;
  private speed = 0;
  private roundTimes: number[] = [];
  private lastPost = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly deps: RunnerDeps) {}

  handle(cmd: Command): void {
    switch (cmd.type) {
      case 'start':
        this.options = { ...cmd.options, config: { ...cmd.options.config } };
        this.speed = cmd.options.speed ?? 0;
        this.restartPending = true;
        break;
      case 'reset':
        this.restartPending = true;
        break;
      case 'pause':
        this.options.autoplay = false;
        this.playing = false;
        this.pendingSteps = 0;
        this.wake?.();
        if (this.pumping) this.postState();
        return;
      case 'resume':
        if (this.lost) return;
        this.options.autoplay = true;
        this.playing = true;
        break;
      case 'step':
        if (!this.playing) this.pendingSteps = 1;
        break;
      case 'speed':
        this.speed = cmd.speed;
        this.options.speed = cmd.speed;
        this.wake?.();
        return;
      case 'set':
        try {
          for (const s of this.slots) s.search.setHot(cmd.params);
          this.options.config = { ...this.options.config, ...cmd.params };
          this.deps.post({ type: 'hot', params: cmd.params, step: this.slots.length ? Math.min(...this.slots.map((s) => s.history.length)) : 0 });
        } catch (e) {
          this.fail(e);
        }
        return;
      case 'upload':
        void this.upload(cmd.files);
        return;
      case 'checkpoint':
        void this.checkpoint(cmd.run);
        return;
      case 'recover':
        void this.recover(cmd.run);
        return;
      case 'debug-lose-device':
        if (!this.deps.loseDevice()) this.fail(new Error('no WebGPU device to lose'));
        return;
    }
    void this.pump();
  }

  /** The device is gone: stop, keep the histories, wait for 'recover'. */
  deviceLost(message: string): void {
    if (this.lost) return;
    this.lost = true;
    this.playing = false;
    this.pendingSteps = 0;
    this.gen++;
    this.pumping = false;
    this.wake?.();
    this.flush();
    this.deps.post({ type: 'lost', message });
    this.deps.post({ type: 'state', state: 'lost' });
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.lost) return;
    this.pumping = true;
    const gen = this.gen;
    this.roundTimes = [];
    try {
      for (;;) {
        if (this.restartPending) {
          await this.restart();
          if (gen !== this.gen) return;
          continue;
        }
        const active = this.slots.filter((s) => s.active);
        if (active.length === 0) this.playing = false; // all done or halted
        if (active.length === 0 || !(this.playing || this.pendingSteps > 0)) break;
        if (!this.playing) this.pendingSteps--;
        this.postState();
        const t0 = performance.now();
        for (const s of active) {
          await s.maybeCheckpoint();
          if (gen !== this.gen) return;
          await s.step();
          if (gen !== this.gen) return;
          this.emit();
          await nextMacrotask();
          if (gen !== this.gen || this.restartPending) break;
        }
        this.roundTimes.push(performance.now());
        if (this.roundTimes.length > 10) this.roundTimes.shift();
        if (this.playing && this.speed > 0) await this.sleep(t0 + 1000 / this.speed - performance.now());
        if (gen !== this.gen) return;
      }
    } catch (e) {
      this.playing = false;
      this.pendingSteps = 0;
      await new Promise((r) => setTimeout(r, 50)); // a lost device reports itself first
      if (gen !== this.gen || this.lost) return;
      this.fail(e);
    } finally {
      if (gen === this.gen) {
        this.pumping = false;
        this.flush();
        this.postState();
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  private async restart(): Promise<void> {
    this.restartPending = false;
    for (const s of this.slots) s.dispose();
    this.slots = [];
    this.playing = this.options.autoplay ?? true;
    this.pendingSteps = 0;
    this.deps.post({ type: 'state', state: 'loading' });
    let cfg: RunConfig;
    try {
      cfg = makeConfig(this.options.config);
    } catch (e) {
      this.playing = false;
      this.fail(e);
      return;
    }
    const runs: Method[] = this.options.runs?.length ? this.options.runs : [cfg.method];
    const { raw, note } = await this.deps.loadRaw(cfg);
    if (this.restartPending) return; // another start/reset arrived while loading
    const searches = runs.map((method) => {
      const data = this.deps.searchData(raw, cfg);
      return { data, search: this.deps.makeSearch({ ...cfg, method }, data) };
    });
    const first = searches[0].search;
    const widths = widthsOf(first.net);
    this.slots = searches.map(({ search, data }) => new Slot(search, data, widths, this.deps.makeSearch));
    const d = searches[0].data;
    const info: RaceInfo = {
      runs: searches.map(({ search }) => ({ method: search.cfg.method, label: METHOD_LABEL[search.cfg.method], config: { ...search.cfg } })),
      dataset: d.name, synthetic: d.synthetic, datasetNote: note,
      split: { train: d.train.size, valid: d.valid.size, test: d.test?.size ?? 0 },
      stepsPerEpoch: first.stepsPerEpoch, totalSteps: first.totalSteps,
      alphas: first.net.alphas.map((a) => ({ name: a.name, numEdges: a.numEdges, ops: [...a.ops[0]], edges: edgeLabels(first.cfg, a.numEdges) })),
      cells: first.net.mixCells.map((c) => ({ cellIndex: c.cellIndex, type: c.type, alpha: c.alpha, regularized: c.regularized })),
      widths,
    };
    this.deps.post({ type: 'run', info });
    this.roundTimes = [];
    this.postState();
  }

  private async upload(files: { name: string; buffer: ArrayBuffer }[]): Promise<void> {
    const r = await this.deps.decodeUpload(files);
    if (!r.ok) {
      this.deps.post({ type: 'dataset', ok: false, error: r.error });
      return;
    }
    this.deps.post({ type: 'dataset', ok: true, name: r.name, notes: r.notes });
    this.options.config = { ...this.options.config, dataset: r.spec };
    this.restartPending = true;
    void this.pump();
  }

  private async checkpoint(run: number): Promise<void> {
    const s = this.slots[run];
    try {
      if (!s) throw new Error(`no run ${run}`);
      if (this.lost) throw new Error('the GPU device was lost: recover first');
      const checkpoint = await s.search.exportCheckpoint();
      this.deps.post({ type: 'checkpoint', run, checkpoint });
    } catch (e) {
      this.fail(e, run);
    }
  }

  private async recover(run?: number): Promise<void> {
    try {
      if (this.lost) {
        await this.deps.recreateBackend();
        for (const s of this.slots) s.recover(true);
        this.lost = false;
        this.gen++;
        this.pumping = false;
      } else {
        const s = this.slots[run ?? -1];
        if (!s?.halted) throw new Error(`run ${run} is not halted`);
        s.recover(false);
      }
      this.post(this.slots.map((s, i) => s.update(i, true)!));
      this.postState();
      void this.pump();
    } catch (e) {
      this.fail(e, run);
    }
  }

  /** Posts now, or once SNAPSHOT_MS after the previous post. */
  private emit(): void {
    const wait = this.lastPost + SNAPSHOT_MS - performance.now();
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const updates = this.slots.map((s, i) => s.update(i, !!s.halted)).filter((u): u is RunUpdate => u !== null);
    if (updates.length) this.post(updates);
  }

  private post(runs: RunUpdate[]): void {
    this.lastPost = performance.now();
    const n = this.roundTimes.length;
    const span = n > 1 ? this.roundTimes[n - 1] - this.roundTimes[0] : 0;
    this.deps.post({ type: 'snapshot', snapshot: { runs, roundsPerSec: span > 0 ? ((n - 1) * 1000) / span : 0, tensors: this.deps.tensors() } });
  }

  private postState(): void {
    if (this.slots.length === 0) return;
    let state: RunState;
    if (this.lost) state = 'lost';
    else if (this.slots.every((s) => s.search.done)) state = 'done';
    else state = this.playing ? 'running' : this.pumping ? 'stepping' : 'paused';
    this.deps.post({ type: 'state', state });
  }

  private fail(e: unknown, run?: number): void {
    this.deps.post({ type: 'error', message: e instanceof Error ? e.message : String(e), run });
  }
}
