/**
 * The paper's figure 1, live: per search step, the alignment Λ and the NB201 test accuracy of the
 * current genotype, on one time axis. Plain numbers, cheap (one map lookup), so a worker can
 * compute a point per step and post it.
 */
import type { StepMetrics } from '../core/search';
import type { Nb201Table } from './nb201-lookup';

export interface AlignmentPoint {
  step: number;
  epoch: number;
  trainCorr: number;
  validCorr: number;
  skipCount: number;
  genotype: string;
  /** NB201 test accuracy (%) of the genotype, null without a table or for non-NB201 genotypes. */
  cifar10: number | null;
  cifar100: number | null;
  imagenet16: number | null;
  /** False when an isomorphic cell's row answered. */
  exact: boolean;
}

export function alignmentPoint(m: Pick<StepMetrics, 'step' | 'epoch' | 'trainCorr' | 'validCorr' | 'skipCount' | 'genotype'>, table: Nb201Table | null): AlignmentPoint {
  const e = table?.lookup(m.genotype) ?? null;
  return {
    step: m.step, epoch: m.epoch, trainCorr: m.trainCorr, validCorr: m.validCorr, skipCount: m.skipCount, genotype: m.genotype,
    cifar10: e?.cifar10 ?? null, cifar100: e?.cifar100 ?? null, imagenet16: e?.imagenet16 ?? null, exact: e?.exact ?? false,
  };
}
