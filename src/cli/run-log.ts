/**
 * The run log: per-epoch (and optionally per-step) metrics of a search as plain JSON,
 * shared by the CLI and the playground's export.
 */
import type { RunConfig } from '../core/config';
import type { StepMetrics } from '../core/search';

export interface EpochRecord {
  epoch: number;
  steps: number;
  trainLoss: number;
  trainAcc: number;
  validLoss: number;
  validAcc: number;
  trainCorr: number;
  validCorr: number;
  epsilon: number;
  lambdaE: number;
  lr: number;
  regRatio: number;
  /** Genotype at the end of the epoch: NB201 arch string or DARTS Genotype(...) text. */
  genotype: string;
  skipCount: number;
  paramFreeCount: number;
  /** softmax(α) at the end of the epoch, one [E·K] list per α. */
  softmax: number[][];
  /** Mean ‖g^ℓ‖ per mix cell over the epoch (α-step pass). */
  cellGradNorms: number[];
  wallS: number;
}

/** Accumulates step metrics into epoch records (means over the epoch; end-of-epoch α). */
export class EpochAccumulator {
  private rows: StepMetrics[] = [];
  add(m: StepMetrics): void {
    this.rows.push(m);
  }
  get size(): number {
    return this.rows.length;
  }
  flush(wallS: number): EpochRecord {
    const r = this.rows;
    const last = r[r.length - 1];
    const mean = (f: (m: StepMetrics) => number) => r.reduce((a, m) => a + f(m), 0) / r.length;
    const L = last.cellGradNormsValid.length;
    const rec: EpochRecord = {
      epoch: last.epoch, steps: r.length,
      trainLoss: mean((m) => m.trainLoss), trainAcc: mean((m) => m.trainAcc),
      validLoss: mean((m) => m.validLoss), validAcc: mean((m) => m.validAcc),
      trainCorr: mean((m) => m.trainCorr), validCorr: mean((m) => m.validCorr),
      epsilon: mean((m) => m.epsilon), lambdaE: last.lambdaE, lr: last.lr, regRatio: mean((m) => m.regRatio),
      genotype: last.genotype, skipCount: last.skipCount, paramFreeCount: last.paramFreeCount,
      softmax: last.softmax.map((p) => Array.from(p, round6)),
      cellGradNorms: Array.from({ length: L }, (_, l) => mean((m) => m.cellGradNormsValid[l])),
      wallS,
    };
    this.rows = [];
    return rec;
  }
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** A compact per-step record (scalars only). */
export function stepRecord(m: StepMetrics) {
  return {
    step: m.step, epoch: m.epoch, trainLoss: m.trainLoss, trainAcc: m.trainAcc, validLoss: m.validLoss, validAcc: m.validAcc,
    trainCorr: m.trainCorr, validCorr: m.validCorr, epsilon: m.epsilon, lambdaE: m.lambdaE, lr: m.lr, regRatio: m.regRatio,
    skipCount: m.skipCount, genotype: m.genotype,
  };
}

export interface RunLog {
  format: 'lambda-darts-run/1';
  config: RunConfig;
  dataset: { spec: string; name: string; synthetic: boolean; train: number; valid: number; test: number };
  backend: string;
  stepsPerEpoch: number;
  epochs: EpochRecord[];
  steps?: ReturnType<typeof stepRecord>[];
  final: { genotype: string; skipCount: number; paramFreeCount: number; trainCorr: number; validCorr: number };
  wallS: number;
}
