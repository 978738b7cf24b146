/**
 * One run of a race: its Search, its history, its last good checkpoint and whether it halted on a
 * non-finite metric. A non-finite step is not recorded (the history keeps the last good step);
 * recovery re-imports the checkpoint and truncates the history to it.
 */
import type { Checkpoint } from '../core/checkpoint';
import type { RunConfig } from '../core/config';
import type { StepMetrics } from '../core/search';
import type { SearchData } from '../data/types';
import { History, type HistoryWidths } from './history';
import type { HaltInfo, RunStatus, RunUpdate } from './protocol';

/** What a slot needs of a Search (src/core/search.ts); tests pass a fake. */
export interface SearchLike {
  readonly cfg: RunConfig;
  readonly globalStep: number;
  readonly done: boolean;
  step(): Promise<StepMetrics>;
  setHot(over: Partial<RunConfig>): void;
  exportCheckpoint(o?: { optimizer?: boolean }): Promise<Checkpoint>;
  importCheckpoint(ck: Checkpoint): void;
  dispose(): void;
}

export type SearchFactory = (cfg: Partial<RunConfig>, data: SearchData) => SearchLike;

/** Steps between recovery checkpoints (each is one readback of all weights). */
export const CHECKPOINT_EVERY = 25;

export class Slot {
  readonly history: History;
  /** Rows already sent to the page. */
  posted = 0;
  halted: HaltInfo | null = null;
  msPerStep = 0;
  private ck: { checkpoint: Checkpoint; rows: number } | null = null;

  constructor(
    public search: SearchLike,
    readonly data: SearchData,
    widths: HistoryWidths,
    private readonly make: SearchFactory,
  ) {
    this.history = new History(widths);
  }

  get active(): boolean {
    return !this.halted && !this.search.done;
  }

  get checkpointStep(): number {
    return this.ck ? this.ck.rows : -1;
  }

  /** Saves a recovery checkpoint when due (step 0 and every CHECKPOINT_EVERY steps). */
  async maybeCheckpoint(): Promise<void> {
    const n = this.history.length;
    if (this.ck && n - this.ck.rows < CHECKPOINT_EVERY) return;
    if (this.search.globalStep !== n) return; // history and search disagree (halted): keep the old one
    this.ck = { checkpoint: await this.search.exportCheckpoint({ optimizer: true }), rows: n };
  }

  /** One step; returns the metrics (a non-finite one halts the slot and is not recorded). */
  async step(): Promise<StepMetrics> {
    const m = await this.search.step();
    this.msPerStep = m.ms;
    if (m.nonFinite) this.halted = { step: m.step + 1, metric: m.nonFinite };
    else this.history.appendMetrics(m);
    return m;
  }

  /** Back to the last checkpoint: `rebuild` makes a fresh Search first (after a lost device). */
  recover(rebuild: boolean): void {
    if (!this.ck) throw new Error('no checkpoint to recover from yet');
    if (rebuild) {
      try {
        this.search.dispose();
      } catch {
        // tensors of a lost backend
      }
      this.search = this.make(this.search.cfg, this.data);
    }
    this.search.importCheckpoint(this.ck.checkpoint);
    this.history.truncate(this.ck.rows);
    this.posted = Math.min(this.posted, this.ck.rows);
    this.halted = null;
  }

  status(): RunStatus {
    return { done: this.search.done, halted: this.halted, checkpointStep: this.checkpointStep, msPerStep: this.msPerStep };
  }

  /** New rows since the last post (null when nothing changed). */
  update(run: number, force = false): RunUpdate | null {
    if (!force && this.posted === this.history.length) return null;
    const rows = this.history.rows(this.posted);
    this.posted = this.history.length;
    return { run, rows, status: this.status() };
  }

  dispose(): void {
    try {
      this.search.dispose();
    } catch {
      // already gone with a lost device
    }
  }
}
