/**
 * The typed message protocol between the page and the evaluation worker (eval-worker.ts), a second
 * worker beside the search worker: it retrains the race's derived cells from scratch and runs
 * multi-seed searches, one job after another, without slowing the race's message loop.
 * Everything crossing the boundary is a plain object (structured clone).
 */
import type { Method, RunConfig } from '../core/config';
import type { RetrainResult } from '../eval/retrain-run';
import type { SeedProgress, SeedRow } from '../eval/multiseed';
import type { BackendName, UploadFile } from './protocol';

/** Retraining options the page offers (everything else: retrainDefaults of the space). */
export interface RetrainJobOptions {
  /** Initial channels. */
  C: number;
  /** NB201: cells per stage. */
  N: number;
  /** DARTS spaces: cells of the evaluation network. */
  layers: number;
  epochs: number;
  batch: number;
  /** Initial learning rate (cosine to 0). */
  lr: number;
  imageSize: number;
  /** Training images (0 = all). */
  limit: number;
  /** Test images (0 = all). */
  testLimit: number;
  /** Random crop + horizontal flip. */
  augment: boolean;
  /** DARTS spaces: Cutout side in pixels (0 = off). */
  cutout: number;
  /** DARTS spaces: final drop-path probability (0 = off). */
  dropPath: number;
  /** DARTS spaces: auxiliary head and loss. */
  auxiliary: boolean;
}

export interface RetrainCell {
  /** e.g. "DARTS", "Λ-DARTS". */
  label: string;
  method: Method;
  /** NB201 arch string or DARTS Genotype(...) text. */
  genotype: string;
}

export interface RetrainJob {
  /** The race's configuration: dataset, seed, space (sizes of the search are not used). */
  config: RunConfig;
  /** The cells to train side by side, interleaved step by step on identical batches. */
  cells: RetrainCell[];
  options: RetrainJobOptions;
}

export interface MultiSeedJob {
  /** The race's configuration; `method` and `seed` are set per run. */
  config: RunConfig;
  method: Method;
  seeds: number[];
  /** Stop each search after this many steps (0 = every epoch). */
  maxSteps: number;
}

/** Page → evaluation worker. */
export type EvalCommand =
  /** First message: the backends to try, in order (default webgpu → webgl → cpu). */
  | { type: 'init'; backends?: BackendName[] }
  /** Decode uploaded files (the race's 'upload:NAMES' dataset); answered by 'dataset'. */
  | { type: 'upload'; files: UploadFile[] }
  | { type: 'retrain'; id: number; job: RetrainJob }
  | { type: 'multiseed'; id: number; job: MultiSeedJob }
  /** Cancels a queued or running job (answered by its 'done' with cancelled = true). */
  | { type: 'cancel'; id: number };

/** One retraining's progress; `etaS` is the wall time until the whole job ends (the runs move in lockstep). */
export interface RetrainRunProgress {
  done: number;
  total: number;
  etaS: number;
  /** Mean training loss over the current epoch so far. */
  trainLoss: number;
  /** Latest test accuracy (0–1, evaluated at epoch ends), or null before the first evaluation. */
  testAcc: number | null;
  /** Test accuracy per finished epoch (null where it was not evaluated). */
  epochAcc: (number | null)[];
}

/** Evaluation worker → page. */
export type EvalMessage =
  | { type: 'ready'; backend: BackendName; reason: string; adapter: string }
  | { type: 'dataset'; ok: true; name: string; spec: string }
  | { type: 'dataset'; ok: false; error: string }
  /** A job left the queue and loaded its data. */
  | { type: 'started'; id: number; kind: 'retrain' | 'multiseed'; dataset: string; notes: string[] }
  /** Latest progress of every run of a retraining, at most every PROGRESS_MS (plus the final one). */
  | { type: 'retrain-progress'; id: number; runs: RetrainRunProgress[] }
  | { type: 'seed-progress'; id: number; progress: SeedProgress }
  | { type: 'seed-row'; id: number; row: SeedRow }
  /** The job ended: finished, cancelled (results then reflect the steps done) or failed. */
  | { type: 'done'; id: number; cancelled: boolean; results?: RetrainResult[] }
  | { type: 'error'; id?: number; message: string };

/** At most this often a job posts progress (≤ 10 messages per second). */
export const PROGRESS_MS = 100;
