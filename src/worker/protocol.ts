/**
 * The typed message protocol between the page and the search worker (DESIGN.md: worker).
 * Everything crossing the boundary is a plain object; arrays of numbers are typed arrays whose
 * buffers are transferred, never copied.
 */
import type { Method, RunConfig } from '../core/config';
import type { Checkpoint } from '../core/checkpoint';
import { History, type HistoryRows, type HistoryWidths } from './history';

export type BackendName = 'webgpu' | 'webgl' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'cpu'];

/** Fields applied live to running searches (config FIELDS with hot = true). */
export type HotParams = Partial<Pick<RunConfig,
  'lr' | 'lrMin' | 'momentum' | 'weightDecay' | 'gradClip' | 'archLr' | 'archWeightDecay' | 'lambda' | 'epsilon0' | 'corr' | 'lambdaRamp' | 'unrolledR'>>;

export interface StartOptions {
  /**
   * Run configuration; missing fields take DEFAULT_CONFIG (classes, channels come from the data).
   * `dataset`: 'cifar10' (built-in, default), 'mnist' (built-in), 'synthetic', or 'upload:NAMES' (the last uploaded files).
   */
  config?: Partial<RunConfig>;
  /** One run per method, stepped alternately on the same data and seed (default: [config.method]). */
  runs?: Method[];
  /** Backends to try, in order (default webgpu → webgl → cpu). Only honoured by the first start. */
  backends?: BackendName[];
  /**
   * Threads for the CPU backend's kernels (default: every core but one, at most 8; needs a
   * cross-origin-isolated page). Only honoured by the first start.
   */
  cpuThreads?: number;
  /** Start stepping at once (default true); false leaves the runs paused at step 0. */
  autoplay?: boolean;
  /** Max rounds (one step of every run) per second; 0 = as fast as possible. */
  speed?: number;
}

export interface UploadFile {
  name: string;
  buffer: ArrayBuffer;
}

/** Page → worker. */
export type Command =
  | { type: 'start'; options: StartOptions }
  | { type: 'pause' }
  | { type: 'resume' }
  /** One step of every active run while paused (ignored while running). */
  | { type: 'step' }
  /** Drops the runs and starts them again from step 0 with the last start options. */
  | { type: 'reset' }
  | { type: 'set'; params: HotParams }
  | { type: 'speed'; speed: number }
  /** Decode files (buffers transferred); on success the runs restart on them. */
  | { type: 'upload'; files: UploadFile[] }
  /** Reads a run's weights, BN buffers and α back as a checkpoint (answered by 'checkpoint'). */
  | { type: 'checkpoint'; run: number }
  /** Restores a halted run (non-finite metric) or, after a lost device, every run from its last checkpoint. */
  | { type: 'recover'; run?: number }
  /** Test hook: destroys the WebGPU device (its `lost` promise then fires). */
  | { type: 'debug-lose-device' };

/** running: playing; stepping: finishing a single step (or the step in flight after a pause). */
export type RunState = 'loading' | 'running' | 'stepping' | 'paused' | 'done' | 'lost';

export interface AlphaInfo {
  name: string;
  numEdges: number;
  ops: string[];
  /** Row labels, e.g. "0→1". */
  edges: string[];
}

export interface CellInfo {
  cellIndex: number;
  type: 'normal' | 'reduce';
  alpha: number;
  regularized: boolean;
}

/** Static description of one run. */
export interface RunInfo {
  method: Method;
  label: string;
  config: RunConfig;
}

/** Static description of the race (all runs share data, sizes and seed), sent once per (re)start. */
export interface RaceInfo {
  runs: RunInfo[];
  /** e.g. "CIFAR-10 (data_batch_1, …)"; says "synthetic" when generated. */
  dataset: string;
  synthetic: boolean;
  /** Why this dataset (e.g. the built-in files could not be fetched), or ''. */
  datasetNote: string;
  split: { train: number; valid: number; test: number };
  stepsPerEpoch: number;
  totalSteps: number;
  /** One entry per α tensor (NB201: one; DARTS spaces: normal and reduce). */
  alphas: AlphaInfo[];
  /** Cells that read mixing weights, in forward order (rows of the per-layer view). */
  cells: CellInfo[];
  widths: HistoryWidths;
}

export interface HaltInfo {
  /** The step (1-based count) whose metrics were not finite. */
  step: number;
  metric: string;
}

export interface RunStatus {
  done: boolean;
  halted: HaltInfo | null;
  /** Step of the newest checkpoint kept for recovery, or -1. */
  checkpointStep: number;
  /** Time of this run's last step. */
  msPerStep: number;
}

export interface RunUpdate {
  run: number;
  rows: HistoryRows;
  status: RunStatus;
}

export interface Snapshot {
  runs: RunUpdate[];
  /** Rounds (one step of every active run) per second, over the last few rounds. */
  roundsPerSec: number;
  /** tf.memory().numTensors after the step (flat over a healthy run). */
  tensors: number;
}

/** Worker → page. */
export type WorkerMessage =
  | { type: 'ready'; backend: BackendName; reason: string; adapter: string }
  | { type: 'run'; info: RaceInfo }
  | { type: 'state'; state: RunState }
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'hot'; params: HotParams; step: number }
  | { type: 'dataset'; ok: true; name: string; notes: string[] }
  | { type: 'dataset'; ok: false; error: string }
  | { type: 'checkpoint'; run: number; checkpoint: Checkpoint }
  | { type: 'lost'; message: string }
  | { type: 'error'; message: string; run?: number };

/** Buffers of a message to transfer instead of copy. */
export function transferablesOf(msg: WorkerMessage): Transferable[] {
  if (msg.type !== 'snapshot') return [];
  return msg.snapshot.runs.flatMap((r) => History.transferables(r.rows));
}

export const METHOD_LABEL: Record<Method, string> = { darts: 'DARTS', darts2: 'DARTS (2nd order)', lambda: 'Λ-DARTS' };
