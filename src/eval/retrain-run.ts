/**
 * Whole retraining runs with progress `(done, total, etaSeconds, trainLoss, testAcc?)`:
 * `retrain` for one genotype, `retrainSideBySide` for several interleaved step by step (the
 * DARTS and the Λ-DARTS cell of a race, each on its own copy of the same data stream).
 */
import type { Genotype } from '../core/genotype';
import { countParams } from './discrete';
import { Retrainer, type EvalResult, type RetrainOptions } from './retrain';
import type { RetrainData } from './retrain-data';

export type RetrainProgress = (done: number, total: number, etaSeconds: number, trainLoss: number, testAcc?: number) => void;

export interface RetrainEpoch {
  epoch: number;
  trainLoss: number;
  trainAcc: number;
  lr: number;
  testAcc: number | null;
  testLoss: number | null;
  wallS: number;
}

export interface RetrainResult {
  genotype: string;
  kind: 'nb201' | 'darts';
  /** Parameters without / with the auxiliary head. */
  params: number;
  paramsWithAux: number;
  /** Final test accuracy (0–1) and loss, BN in eval mode (after a stop: the last evaluation, or NaN). */
  testAcc: number;
  testLoss: number;
  testImages: number;
  trainLoss: number;
  trainAcc: number;
  epochs: RetrainEpoch[];
  steps: number;
  /** Seconds spent in this run's own steps and evaluations. */
  wallS: number;
  options: RetrainOptions;
}

/** One retrainer's loop state: epoch means, evaluations, own time. */
class Tracked {
  epochs: RetrainEpoch[] = [];
  private sumLoss = 0;
  private sumAcc = 0;
  private n = 0;
  private test: EvalResult | null = null;
  private testAt = -1;
  ownS = 0;

  constructor(readonly r: Retrainer, private onProgress?: RetrainProgress) {}

  async advance(): Promise<void> {
    const t = performance.now();
    const r = this.r;
    const s = await r.step();
    this.sumLoss += s.loss;
    this.sumAcc += s.acc;
    this.n++;
    const endOfEpoch = r.globalStep % r.stepsPerEpoch === 0 || r.done;
    let testAcc: number | undefined;
    if (endOfEpoch) {
      const e = s.epoch + 1;
      const ev = r.done || (r.o.evalEvery > 0 && e % r.o.evalEvery === 0) ? await r.evaluate() : null;
      if (ev) (this.test = ev), (this.testAt = r.globalStep), (testAcc = ev.acc);
      this.ownS += (performance.now() - t) / 1000;
      this.epochs.push({ epoch: s.epoch, trainLoss: this.sumLoss / this.n, trainAcc: this.sumAcc / this.n, lr: s.lr, testAcc: ev?.acc ?? null, testLoss: ev?.loss ?? null, wallS: this.ownS });
    } else this.ownS += (performance.now() - t) / 1000;
    const eta = (this.ownS / r.globalStep) * (r.totalSteps - r.globalStep);
    this.onProgress?.(r.globalStep, r.totalSteps, eta, this.sumLoss / this.n, testAcc);
    if (endOfEpoch) this.sumLoss = this.sumAcc = this.n = 0;
  }

  /** Evaluates the final weights, unless `stopped` (a cancel): then the last evaluation made, or NaN. */
  async finish(stopped = false): Promise<RetrainResult> {
    const r = this.r;
    if (!stopped && (!this.test || this.testAt !== r.globalStep)) this.test = await r.evaluate();
    const last = this.epochs[this.epochs.length - 1];
    return {
      genotype: r.genotype, kind: r.net.kind, params: countParams(r.net), paramsWithAux: countParams(r.net, true),
      testAcc: this.test?.acc ?? NaN, testLoss: this.test?.loss ?? NaN, testImages: this.test?.n ?? 0,
      trainLoss: last ? last.trainLoss : this.sumLoss / this.n, trainAcc: last ? last.trainAcc : this.sumAcc / this.n,
      epochs: this.epochs, steps: r.globalStep, wallS: this.ownS, options: r.o,
    };
  }
}

/**
 * Runs every epoch; `signal` stops early: the result then reflects the steps done, and its test
 * accuracy is the last evaluation made (end of the last finished epoch; NaN when none), so that a
 * cancel does not wait for one more pass over the test set.
 */
export async function retrain(genotype: string | Genotype, data: RetrainData, opts: Partial<RetrainOptions> = {}, onProgress?: RetrainProgress, signal?: AbortSignal): Promise<RetrainResult> {
  return (await retrainSideBySide([{ genotype, data }], opts, onProgress && ((_, ...a) => onProgress(...a)), signal))[0];
}

/**
 * Several retrainings interleaved step by step; give each its own RetrainData built from the same seed.
 * `between` is awaited after every step (a worker yields to its message queue there, so that a
 * cancel gets through even on a backend whose readbacks never leave the microtask queue).
 */
export async function retrainSideBySide(
  runs: { genotype: string | Genotype; data: RetrainData }[], opts: Partial<RetrainOptions> = {},
  onProgress?: (i: number, ...p: Parameters<RetrainProgress>) => void, signal?: AbortSignal, between?: () => Promise<void>,
): Promise<RetrainResult[]> {
  const tracked: Tracked[] = [];
  try {
    for (const [i, x] of runs.entries()) tracked.push(new Tracked(new Retrainer(x.genotype, x.data, opts), onProgress && ((...p) => onProgress(i, ...p))));
    while (!signal?.aborted && tracked.some((t) => !t.r.done)) {
      for (const t of tracked) {
        if (t.r.done || signal?.aborted) continue;
        await t.advance();
        await between?.();
      }
    }
    const out: RetrainResult[] = [];
    for (const t of tracked) out.push(await t.finish(!!signal?.aborted));
    return out;
  } finally {
    for (const t of tracked) t.r.dispose();
  }
}
