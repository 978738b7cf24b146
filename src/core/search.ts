/**
 * A whole search: supernet, state, optimizers, schedules and the step loop over a SearchData.
 * `step()` runs one bilevel step inside tf.tidy and reads its metrics back in one batched read.
 */
import * as tf from '@tensorflow/tfjs';
import { cosineLr, lambdaAt, makeConfig, resolveStepOrder, validateConfig, type RunConfig } from './config';
import { exportCheckpoint, importOptimizer, importTensors, type Checkpoint } from './checkpoint';
import { deriveGenotype } from './derive';
import { genotypeToString, parameterFreeCount, skipCount, type Genotype } from './genotype';
import type { Supernet } from './network';
import { initParam, tfShape } from './params';
import { Rng } from './rng';
import { netContext, searchStep, type ModelState, type NetContext } from './step';
import { buildSupernet } from './supernet';
import type { SearchData } from '../data/types';

/** Per-step metrics (ALGORITHM.md §6), plain numbers and typed arrays (transferable). */
export interface StepMetrics {
  step: number;
  epoch: number;
  stepInEpoch: number;
  trainLoss: number;
  trainAcc: number;
  validLoss: number;
  validAcc: number;
  /** Λ (mean pairwise cosine) of the weight-step pass, over the regularized cells. */
  trainCorr: number;
  /** The regularized alignment (signcorr score when corr = signcorr). */
  trainAlignment: number;
  validCorr: number;
  epsilon: number;
  lambdaE: number;
  lr: number;
  archLr: number;
  /** ‖λ_e·reg‖ / ‖∇ω L‖ before clipping. */
  regRatio: number;
  taskGradNorm: number;
  gradNormBeforeClip: number;
  /** softmax(α) after the step, one [E·K] array per α (normal, reduce). */
  softmax: Float32Array[];
  /** max_k p per edge, one [E] array per α. */
  saturation: Float32Array[];
  /** ‖g^ℓ‖ per mix cell (train pass and valid pass). */
  cellGradNormsTrain: Float32Array;
  cellGradNormsValid: Float32Array;
  /** −J(p)·g^ℓ per mix cell, [nMix·E·K], from the α-step pass. */
  votes: Float32Array;
  /** cos(g_i, g_j) over the regularized cells, [Lr·Lr]. */
  cosTrain: Float32Array;
  cosValid: Float32Array;
  genotype: string;
  skipCount: number;
  paramFreeCount: number;
  /** Name of the first metric that was NaN/Inf, or null. */
  nonFinite: string | null;
  ms: number;
}

const SCALARS = ['trainLoss', 'trainAcc', 'validLoss', 'validAcc', 'trainCorr', 'trainAlignment', 'validCorr', 'epsilon', 'regNorm', 'taskNorm', 'gradNorm'] as const;
const ARRAYS = ['softmax', 'cellGradNormsTrain', 'cellGradNormsValid', 'votes', 'cosTrain', 'cosValid'] as const;

export class Search {
  readonly cfg: RunConfig;
  readonly net: Supernet;
  readonly rng: Rng;
  readonly stepsPerEpoch: number;
  globalStep = 0;
  private ctx: NetContext;
  private state: ModelState;
  private disposed = false;

  constructor(cfg: Partial<RunConfig>, readonly data: SearchData) {
    this.cfg = makeConfig({ ...cfg, classes: data.numClasses, inChannels: data.channels, imageSize: data.imageSize });
    this.net = buildSupernet(this.cfg);
    this.ctx = netContext(this.net);
    this.rng = new Rng(this.cfg.seed);
    this.stepsPerEpoch = data.train.batchesPerEpoch;
    const initRng = this.rng.fork();
    const W = this.net.params.map((p) => tf.tensor(initParam(p, initRng), tfShape(p)));
    const buffers = this.net.buffers.flatMap((b) => [tf.zeros([b.channels]), tf.ones([b.channels])]);
    // α ← 1e-3·N(0,1)
    const alpha = this.net.alphas.map((a) => tf.tensor2d(initRng.fillNormal(new Float32Array(a.numEdges * a.numOps), 1e-3), [a.numEdges, a.numOps]));
    this.state = { W, buffers, alpha, sgdBuf: null, adam: null };
  }

  get epoch(): number {
    return Math.floor(this.globalStep / this.stepsPerEpoch);
  }
  get totalSteps(): number {
    return this.cfg.epochs * this.stepsPerEpoch;
  }
  get done(): boolean {
    return this.globalStep >= this.totalSteps;
  }

  /** Applies hot fields (λ, ε0, learning rates, …) live; cold fields need a new Search. */
  setHot(over: Partial<RunConfig>): void {
    const next = { ...this.cfg, ...over };
    validateConfig(next);
    Object.assign(this.cfg, over);
  }

  /** One bilevel step; resolves after its metrics have been read back. */
  async step(): Promise<StepMetrics> {
    if (this.disposed) throw new Error('search was disposed');
    const t0 = performance.now();
    const cfg = this.cfg;
    const epoch = Math.min(this.epoch, cfg.epochs - 1);
    const lambdaE = cfg.method === 'lambda' ? lambdaAt(cfg, epoch) : 0;
    const lr = cosineLr(cfg, epoch);
    const train = this.data.train.next();
    const valid = this.data.valid.next();
    const noiseSeed = this.rng.seed();
    const out = tidyObj(() => {
      const r = searchStep(this.ctx, this.state, train, valid, {
        method: cfg.method, order: resolveStepOrder(cfg), lr, momentum: cfg.momentum, weightDecay: cfg.weightDecay,
        gradClip: cfg.gradClip, adam: { lr: cfg.archLr, beta1: cfg.archBeta1, beta2: cfg.archBeta2, eps: 1e-8, weightDecay: cfg.archWeightDecay },
        lambdaE, epsilon0: cfg.epsilon0, corr: cfg.corr, unrolledR: cfg.unrolledR, noiseSeed, trackStats: true,
      });
      const m = r.metrics;
      const parts = [
        // absent: no regularizer this step (0) or no regularized cells (NaN)
        ...SCALARS.map((k) => (m[k] ? tf.reshape(m[k], [1]) : tf.tensor1d([k === 'regNorm' || k === 'epsilon' || k === 'taskNorm' ? 0 : NaN]))),
        ...ARRAYS.map((k) => (m[k] ? tf.reshape(m[k], [-1]) : tf.zeros([0]))),
      ];
      return { state: r.state, flat: tf.concat(parts), sizes: ARRAYS.map((k) => (m[k] ? m[k].size : 0)) };
    });
    tf.dispose([train.x, train.y, valid.x, valid.y]);
    const old = this.state;
    this.state = out.state;
    disposeState(old, this.state);
    const flat = (await out.flat.data()) as Float32Array;
    out.flat.dispose();
    const step = this.globalStep++;
    const s: Record<string, number> = {};
    SCALARS.forEach((k, i) => (s[k] = flat[i]));
    let off = SCALARS.length;
    const arr: Record<string, Float32Array> = {};
    ARRAYS.forEach((k, i) => (arr[k] = flat.slice(off, (off += out.sizes[i]))));
    const softmax: Float32Array[] = [];
    let so = 0;
    for (const a of this.net.alphas) softmax.push(arr.softmax.slice(so, (so += a.numEdges * a.numOps)));
    const g = this.genotypeFrom(softmax);
    let nonFinite: string | null = null;
    const hasPairs = this.net.mixCells.some((c) => c.regularized);
    for (const k of SCALARS) if (!Number.isFinite(s[k]) && (hasPairs || !k.endsWith('Corr') && k !== 'trainAlignment')) { nonFinite = k; break; }
    if (!nonFinite) for (const k of ARRAYS) if (arr[k].some((v) => !Number.isFinite(v))) { nonFinite = k; break; }
    return {
      step, epoch: Math.floor(step / this.stepsPerEpoch), stepInEpoch: step % this.stepsPerEpoch,
      trainLoss: s.trainLoss, trainAcc: s.trainAcc, validLoss: s.validLoss, validAcc: s.validAcc,
      trainCorr: s.trainCorr, trainAlignment: s.trainAlignment, validCorr: s.validCorr,
      epsilon: cfg.method === 'lambda' ? s.epsilon : 0, lambdaE, lr, archLr: cfg.archLr,
      regRatio: s.regNorm === 0 ? 0 : s.regNorm / s.taskNorm,
      taskGradNorm: s.taskNorm, gradNormBeforeClip: s.gradNorm,
      softmax, saturation: softmax.map((p, a) => saturation(p, this.net.alphas[a].numOps)),
      cellGradNormsTrain: arr.cellGradNormsTrain, cellGradNormsValid: arr.cellGradNormsValid, votes: arr.votes,
      cosTrain: arr.cosTrain, cosValid: arr.cosValid,
      genotype: genotypeToString(g), skipCount: skipCount(g), paramFreeCount: parameterFreeCount(g),
      nonFinite, ms: performance.now() - t0,
    };
  }

  /** softmax(α) per α type, read back. */
  async softmax(): Promise<Float32Array[]> {
    const t = tf.tidy(() => tf.concat(this.state.alpha.map((a) => tf.reshape(tf.softmax(a), [-1]))));
    const v = (await t.data()) as Float32Array;
    t.dispose();
    const out: Float32Array[] = [];
    let o = 0;
    for (const a of this.net.alphas) out.push(v.slice(o, (o += a.numEdges * a.numOps)));
    return out;
  }

  async genotype(): Promise<Genotype> {
    return this.genotypeFrom(await this.softmax());
  }

  private genotypeFrom(softmax: Float32Array[]): Genotype {
    return deriveGenotype(this.net, softmax, this.cfg);
  }

  /** Weights, BN buffers and α; `optimizer: true` adds the SGD/Adam state (recovery checkpoints). */
  async exportCheckpoint(o: { optimizer?: boolean } = {}): Promise<Checkpoint> {
    return exportCheckpoint(this.net, this.state, { config: { ...this.cfg }, step: this.globalStep, epoch: this.epoch }, !!o.optimizer);
  }

  /** Loads weights, BN buffers and α, and the optimizer state when the checkpoint has it (else it restarts). */
  importCheckpoint(ck: Checkpoint): void {
    const t = importTensors(this.net, ck.params, ck.buffers, ck.alpha);
    disposeState(this.state, null);
    this.state = { ...t, ...importOptimizer(ck.optimizer) };
    const step = ck.meta?.step;
    if (typeof step === 'number') this.globalStep = step;
  }

  dispose(): void {
    if (this.disposed) return;
    disposeState(this.state, null);
    this.disposed = true;
  }
}

/** tf.tidy for plain objects holding tensors (and numbers/nulls). */
function tidyObj<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}

/** max_k p per edge. */
export function saturation(p: Float32Array, K: number): Float32Array {
  const out = new Float32Array(p.length / K);
  for (let e = 0; e < out.length; e++) {
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, p[e * K + k]);
    out[e] = m;
  }
  return out;
}

/** Disposes the tensors of `old` that `keep` does not share. */
function disposeState(old: ModelState, keep: ModelState | null): void {
  const live = new Set<number>();
  if (keep) for (const t of stateTensors(keep)) live.add(t.id);
  for (const t of stateTensors(old)) if (!live.has(t.id) && !t.isDisposed) t.dispose();
}

function stateTensors(s: ModelState): tf.Tensor[] {
  return [...s.W, ...s.buffers, ...s.alpha, ...(s.sgdBuf ?? []), ...(s.adam ? [...s.adam.m, ...s.adam.v] : [])];
}
