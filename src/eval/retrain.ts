/**
 * Retraining a derived cell from scratch as a discrete network (NB201 TinyNetwork or DARTS
 * NetworkCIFAR) and scoring it on the test split with BN running statistics (eval mode).
 * SGD with PyTorch semantics (momentum 0.9, optional Nesterov, L2 weight decay), cosine lr,
 * optional gradient clipping, drop-path (ramped as DARTS: p·epoch/epochs) and auxiliary loss.
 * `Retrainer` steps incrementally (a worker can interleave two of them); `retrain` runs it all.
 */
import * as tf from '@tensorflow/tfjs';
import { cosineLr } from '../core/config';
import { genotypeToString, type Genotype } from '../core/genotype';
import type { BnStat } from '../core/ops';
import { clipCoef, globalNorm, sgdStep } from '../core/optim';
import { initParam, tfShape } from '../core/params';
import { accuracy, crossEntropy } from '../core/pass';
import { Rng } from '../core/rng';
import type { Batch } from '../data/types';
import { buildDartsNet } from './darts-net';
import { countParams, parseGenotypeText, type DiscreteNet } from './discrete';
import type { Ctx } from './layers';
import { buildNb201Net } from './nb201-net';
import type { RetrainData } from './retrain-data';

export interface RetrainOptions {
  /** Initial channels. */
  C: number;
  /** NB201: cells per stage. */
  N: number;
  /** DARTS: number of cells. */
  layers: number;
  epochs: number;
  lr: number;
  lrMin: number;
  /** 'step': cosine per iteration (NB201's scheduler); 'epoch': per epoch (DARTS train.py). */
  lrSchedule: 'step' | 'epoch';
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
  /** Max global gradient norm (0 = off). */
  gradClip: number;
  /** DARTS: final drop-path probability (0 = off). */
  dropPath: number;
  /** DARTS: auxiliary head and its loss weight. */
  auxiliary: boolean;
  auxWeight: number;
  auxWidths: [number, number];
  /** Evaluate on the test split every this many epochs (0 = only at the end). */
  evalEvery: number;
  seed: number;
}

/** Official recipes (NB201 200-epoch config; DARTS train.py) at a small, CPU-friendly size. */
export function retrainDefaults(kind: 'nb201' | 'darts'): RetrainOptions {
  const common = { N: 1, layers: 5, epochs: 10, lrMin: 0, momentum: 0.9, dropPath: 0, auxiliary: false, auxWeight: 0.4, auxWidths: [128, 768] as [number, number], evalEvery: 1, seed: 0 };
  return kind === 'nb201'
    ? { ...common, C: 8, lr: 0.1, lrSchedule: 'step', nesterov: true, weightDecay: 5e-4, gradClip: 0 }
    : { ...common, C: 8, lr: 0.025, lrSchedule: 'epoch', nesterov: false, weightDecay: 3e-4, gradClip: 5 };
}

export interface RetrainStep {
  step: number;
  epoch: number;
  loss: number;
  acc: number;
  lr: number;
  ms: number;
}

export interface EvalResult {
  acc: number;
  loss: number;
  n: number;
}

/** Builds the discrete network of a genotype (text or parsed). */
export function buildDiscreteNet(genotype: string | Genotype, o: Pick<RetrainOptions, 'C' | 'N' | 'layers' | 'auxiliary' | 'auxWidths'>, data: { numClasses: number; channels: number; imageSize: number }): DiscreteNet {
  const g = typeof genotype === 'string' ? parseGenotypeText(genotype) : genotype;
  if (g.kind === 'nb201') return buildNb201Net(g.ops, { C: o.C, N: o.N, classes: data.numClasses, inChannels: data.channels });
  return buildDartsNet(g.genotype, { C: o.C, layers: o.layers, classes: data.numClasses, inChannels: data.channels, imageSize: data.imageSize, auxiliary: o.auxiliary, auxWidths: o.auxWidths });
}

export class Retrainer {
  readonly o: RetrainOptions;
  readonly net: DiscreteNet;
  readonly genotype: string;
  readonly stepsPerEpoch: number;
  globalStep = 0;
  private W: tf.Tensor[];
  private running: tf.Tensor[];
  private buf: tf.Tensor[] | null = null;
  private index: Map<string, number>;
  private bufIndex: Map<string, number>;
  private rng: Rng;
  private disposed = false;

  constructor(genotype: string | Genotype, readonly data: RetrainData, opts: Partial<RetrainOptions> = {}) {
    const g = typeof genotype === 'string' ? parseGenotypeText(genotype) : genotype;
    this.o = { ...retrainDefaults(g.kind), ...opts };
    this.genotype = genotypeToString(g);
    this.net = buildDiscreteNet(g, this.o, data);
    this.stepsPerEpoch = data.train.batchesPerEpoch;
    this.rng = new Rng(this.o.seed);
    const init = this.rng.fork();
    this.W = this.net.params.map((p) => tf.tensor(initParam(p, init), tfShape(p)));
    this.running = this.net.buffers.flatMap((b) => [tf.zeros([b.channels]), tf.ones([b.channels])]);
    this.index = new Map(this.net.params.map((p, i) => [p.name, i]));
    this.bufIndex = new Map(this.net.buffers.map((b, i) => [b.name, i]));
  }

  get totalSteps(): number {
    return this.o.epochs * this.stepsPerEpoch;
  }
  get epoch(): number {
    return Math.floor(this.globalStep / this.stepsPerEpoch);
  }
  get done(): boolean {
    return this.globalStep >= this.totalSteps;
  }
  /** Parameters without (and with) the auxiliary head. */
  get params(): number {
    return countParams(this.net);
  }

  lrAt(step: number): number {
    const e = this.o.lrSchedule === 'step' ? step / this.stepsPerEpoch : Math.floor(step / this.stepsPerEpoch);
    return cosineLr({ lr: this.o.lr, lrMin: this.o.lrMin, epochs: this.o.epochs }, e);
  }

  /** One SGD step on the next training batch; resolves after its loss and accuracy are read back. */
  async step(): Promise<RetrainStep> {
    if (this.disposed) throw new Error('retrainer was disposed');
    const t0 = performance.now();
    const step = this.globalStep;
    const epoch = this.epoch;
    const lr = this.lrAt(step);
    const dropProb = (this.o.dropPath * epoch) / this.o.epochs;
    const batch = this.data.train.next();
    const out = tf.tidy(() => this.trainTensors(batch, lr, dropProb));
    tf.dispose([batch.x, batch.y]);
    const old = [...this.W, ...this.running, ...(this.buf ?? [])];
    this.W = out.W;
    this.running = out.running;
    this.buf = out.buf;
    const live = new Set([...this.W, ...this.running, ...this.buf].map((t) => t.id));
    for (const t of old) if (!live.has(t.id)) t.dispose();
    const v = await out.metrics.data();
    out.metrics.dispose();
    this.globalStep++;
    return { step, epoch, loss: v[0], acc: v[1], lr, ms: performance.now() - t0 };
  }

  private trainTensors(batch: Batch, lr: number, dropProb: number) {
    const stats: BnStat[] = [];
    let acc: tf.Scalar | null = null;
    const c = this.ctx(true, this.W, stats, dropProb);
    const { value, grads } = tf.engine().gradients(() => {
      const { logits, aux } = this.net.forward(batch.x, c);
      acc = tf.keep(accuracy(logits, batch.y));
      const loss = crossEntropy(logits, batch.y);
      return aux ? (tf.add(loss, tf.mul(crossEntropy(aux, batch.y), this.o.auxWeight)) as tf.Scalar) : loss;
    }, this.W, undefined, true);
    // params on no path to the loss (behind a dead-end 'none') get zeros, as PyTorch's Zero op gives them
    let g = grads.map((gi, i) => gi ?? tf.zerosLike(this.W[i]));
    if (this.o.gradClip > 0) {
      const coef = clipCoef(globalNorm(g), this.o.gradClip);
      g = g.map((gi) => tf.mul(gi, coef));
    }
    const { w, buf } = sgd(this.W, g, this.buf, { lr, momentum: this.o.momentum, weightDecay: this.o.weightDecay }, this.o.nesterov);
    const running = this.running.slice();
    for (const s of stats) {
      const i = this.bufIndex.get(s.names[0])!;
      const [mean, varUnbiased] = tf.unstack(s.meanVar);
      running[2 * i] = tf.add(tf.mul(running[2 * i], 0.9), tf.mul(mean, 0.1));
      running[2 * i + 1] = tf.add(tf.mul(running[2 * i + 1], 0.9), tf.mul(varUnbiased, 0.1));
      tf.dispose([s.meanVar, mean, varUnbiased]);
    }
    const metrics = tf.stack([value, acc!]);
    tf.dispose(acc!);
    return { W: w, buf, running, metrics };
  }

  /** Accuracy and mean loss over one pass of the test split, BN in eval mode; one readback. */
  async evaluate(): Promise<EvalResult> {
    if (this.disposed) throw new Error('retrainer was disposed');
    const src = this.data.test;
    let sums = tf.zeros([3]);
    for (let b = 0; b < src.batchesPerEpoch; b++) {
      const batch = src.next();
      const next = tf.tidy(() => {
        const logits = this.logits(batch.x);
        const n = batch.y.shape[0];
        return tf.add(sums, tf.stack([tf.mul(accuracy(logits, batch.y), n), tf.mul(crossEntropy(logits, batch.y), n), tf.scalar(n)]));
      });
      tf.dispose([sums, batch.x, batch.y]);
      sums = next;
    }
    const [correct, loss, n] = await sums.data();
    sums.dispose();
    return { acc: correct / n, loss: loss / n, n };
  }

  /**
   * Logits in eval mode (running BN statistics; what `evaluate` scores) or, for comparison, in
   * training mode (batch statistics, no drop-path, no running-stat update). Call inside tf.tidy or dispose.
   */
  logits(x: tf.Tensor4D, mode: 'eval' | 'train' = 'eval'): tf.Tensor2D {
    return this.net.forward(x, this.ctx(mode === 'train', this.W, undefined, 0)).logits;
  }

  dispose(): void {
    if (this.disposed) return;
    tf.dispose([...this.W, ...this.running, ...(this.buf ?? [])]);
    this.disposed = true;
  }

  private ctx(training: boolean, W: tf.Tensor[], stats: BnStat[] | undefined, dropProb: number): Ctx {
    return {
      training, stats, dropProb, rng: this.rng,
      w: (name) => {
        const i = this.index.get(name);
        if (i === undefined) throw new Error(`unknown parameter ${name}`);
        return W[i];
      },
      running: (name) => {
        const i = this.bufIndex.get(name)!;
        return [this.running[2 * i], this.running[2 * i + 1]];
      },
    };
  }
}

/** torch.optim.SGD (dampening 0); Nesterov: w −= lr·(g + μ·buf) with buf = μ·buf + g. */
export function sgd(w: tf.Tensor[], g: tf.Tensor[], buf: tf.Tensor[] | null, h: { lr: number; momentum: number; weightDecay: number }, nesterov: boolean): { w: tf.Tensor[]; buf: tf.Tensor[] } {
  if (!nesterov) return sgdStep(w, g, buf, h);
  const d = g.map((gi, i) => (h.weightDecay !== 0 ? tf.add(gi, tf.mul(w[i], h.weightDecay)) : gi));
  const nb = d.map((di, i) => (buf ? tf.add(tf.mul(buf[i], h.momentum), di) : di));
  return { w: w.map((wi, i) => tf.sub(wi, tf.mul(tf.add(d[i], tf.mul(nb[i], h.momentum)), h.lr))), buf: nb };
}
