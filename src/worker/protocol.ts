/**
 * The typed message protocol between the page and the search worker (DESIGN.md: worker).
 * Everything crossing the boundary is a plain object; arrays of numbers are Float32Arrays whose
 * buffers are transferred, never copied.
 */
import type { RunConfig } from '../core/config';

export type BackendName = 'webgpu' | 'webgl' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'cpu'];

/** Where the demo gets its images: the built-in MNIST files (public/data) or generated gratings. */
export type DatasetChoice = 'mnist' | 'synthetic';

/** Fields applied live to a running search (config FIELDS with hot = true). */
export type HotParams = Partial<Pick<RunConfig,
  'lr' | 'lrMin' | 'momentum' | 'weightDecay' | 'gradClip' | 'archLr' | 'archWeightDecay' | 'lambda' | 'epsilon0' | 'corr' | 'lambdaRamp' | 'unrolledR'>>;

export interface StartOptions {
  /** Run configuration; missing fields take DEFAULT_CONFIG (classes, channels, image size come from the data). */
  config?: Partial<RunConfig>;
  /** Default 'mnist', falling back to synthetic when its files cannot be fetched. */
  dataset?: DatasetChoice;
  /** Backends to try, in order (default webgpu → webgl → cpu). Only honoured by the first start. */
  backends?: BackendName[];
  /** Start stepping at once (default true); false leaves the run paused at step 0. */
  autoplay?: boolean;
}

/** Page → worker. */
export type Command =
  | { type: 'start'; options: StartOptions }
  | { type: 'pause' }
  | { type: 'resume' }
  /** One step while paused (ignored while running). */
  | { type: 'step' }
  /** Drops the run and starts it again from step 0 with the last start options. */
  | { type: 'reset' }
  | { type: 'set'; params: HotParams };

/** running: playing; stepping: finishing a single step (or the step in flight after a pause). */
export type RunState = 'loading' | 'running' | 'stepping' | 'paused' | 'done';

/** Static description of the running search, sent once per (re)start. */
export interface RunInfo {
  config: RunConfig;
  /** e.g. "MNIST (train, …)"; says "synthetic" when generated. */
  dataset: string;
  synthetic: boolean;
  /** Why this dataset (e.g. the built-in files could not be fetched), or ''. */
  datasetNote: string;
  stepsPerEpoch: number;
  totalSteps: number;
  /** One entry per α tensor (NB201: one; DARTS spaces: normal and reduce). */
  alphas: { name: string; numEdges: number; ops: string[]; /** Row labels, e.g. "0→1". */ edges: string[] }[];
}

export interface Snapshot {
  /** Steps completed so far. */
  step: number;
  epoch: number;
  stepInEpoch: number;
  genotype: string;
  skipCount: number;
  trainLoss: number;
  validLoss: number;
  trainAcc: number;
  validAcc: number;
  /** Λ: mean pairwise cosine of the per-cell gradients (train pass, valid pass). */
  trainCorr: number;
  validCorr: number;
  lambdaE: number;
  epsilon: number;
  lr: number;
  /** Over the last few steps, wall clock (includes readback and yielding). */
  stepsPerSec: number;
  /** Time of the last step itself. */
  msPerStep: number;
  /** softmax(α) per α tensor, each [E·K] row-major. */
  softmax: Float32Array[];
  nonFinite: string | null;
  /** tf.memory().numTensors after the step (flat over a healthy run). */
  tensors: number;
}

/** Worker → page. */
export type WorkerMessage =
  | { type: 'ready'; backend: BackendName; reason: string; adapter: string }
  | { type: 'run'; info: RunInfo }
  | { type: 'state'; state: RunState; step: number }
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'error'; message: string };

/** Buffers of a message to transfer instead of copy. */
export function transferablesOf(msg: WorkerMessage): Transferable[] {
  if (msg.type !== 'snapshot') return [];
  const seen = new Set<ArrayBufferLike>();
  for (const a of msg.snapshot.softmax) seen.add(a.buffer);
  return [...seen].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}
