import type { StepMetrics } from '../../src/core/search';

/** Metrics of a fake step: small vectors with recognisable values (widths: softmax 6, cells 3, votes 18, cos 4). */
export function fakeMetrics(step: number, over: Partial<StepMetrics> = {}): StepMetrics {
  const f = (n: number, v: number) => Float32Array.from({ length: n }, (_, i) => v + i / 100);
  return {
    step, epoch: Math.floor(step / 4), stepInEpoch: step % 4, trainLoss: 2 - step / 100, trainAcc: 0.1, validLoss: 2.1, validAcc: 0.1,
    trainCorr: 0.05, trainAlignment: 0.05, validCorr: 0.04, epsilon: 1e-4, lambdaE: 0, lr: 0.025, archLr: 3e-3, regRatio: 0,
    taskGradNorm: 1, gradNormBeforeClip: 1, softmax: [f(3, step), f(3, -step)], saturation: [f(1, 0)], cellGradNormsTrain: f(3, 1),
    cellGradNormsValid: f(3, 2), votes: f(18, step), cosTrain: f(4, 0.5), cosValid: f(4, 0.25), genotype: `g${step}`, skipCount: step % 3,
    paramFreeCount: 2, nonFinite: null, ms: 10, ...over,
  };
}
