/**
 * How the settings panel shows the config schema (core/config.ts FIELDS): a short label per field,
 * which fields show for which space, and the groups (live vs restart, main vs advanced).
 */
import { FIELDS, type FieldSpec, type RunConfig } from '../core/config';

export const LABELS: Partial<Record<keyof RunConfig, string>> = {
  space: 'Search space', C: 'Channels C', N: 'Cells per stage N', layers: 'Cells (layers)', steps: 'Nodes per cell',
  multiplier: 'Concat nodes', stemMultiplier: 'Stem multiplier', imageSize: 'Image size', batch: 'Batch size', epochs: 'Epochs',
  limit: 'Images per split', augment: 'Augmentation', lr: 'Weight learning rate', lrMin: 'Final weight lr', momentum: 'Momentum',
  weightDecay: 'Weight decay', gradClip: 'Gradient clip', archLr: 'α learning rate', archWeightDecay: 'α weight decay',
  archBeta1: 'α Adam β1', archBeta2: 'α Adam β2', lambda: 'λ', epsilon0: 'ε₀', corr: 'Alignment measure', lambdaRamp: 'Ramp λ over epochs',
  regularizeReduce: 'Regularize reduction cells', stepOrder: 'Step order', unrolledR: 'Unrolled r', ops: 'Op list override', seed: 'Seed',
};

export const SPACE_LABELS: Record<string, string> = {
  nb201: 'NAS-Bench-201', s5: 'DARTS s5 (7 ops)', darts: 'DARTS (8 ops, with none)', s1: 'RobustDARTS S1', s2: 'RobustDARTS S2', s3: 'RobustDARTS S3', s4: 'RobustDARTS S4',
};

const NB201_ONLY = new Set<keyof RunConfig>(['N']);
const DARTS_ONLY = new Set<keyof RunConfig>(['layers', 'steps', 'multiplier', 'stemMultiplier', 'regularizeReduce']);
/** Shown elsewhere (toolbar, dataset panel, runs picker) or set by the data. */
const ELSEWHERE = new Set<keyof RunConfig>(['seed', 'dataset', 'method', 'classes', 'inChannels']);
const MAIN = new Set<keyof RunConfig>(['lambda', 'epsilon0', 'lr', 'archLr', 'space', 'C', 'N', 'layers', 'imageSize', 'batch', 'epochs', 'limit', 'augment']);

export function labelOf(f: FieldSpec): string {
  return LABELS[f.key] ?? f.flag;
}

/** Fields for the panel: hot (applied live) or cold (restart), main or advanced, for this space. */
export function panelFields(cfg: RunConfig, hot: boolean, advanced: boolean): FieldSpec[] {
  const nb201 = cfg.space === 'nb201';
  return FIELDS.filter((f) => f.hot === hot && !ELSEWHERE.has(f.key) && MAIN.has(f.key) !== advanced)
    .filter((f) => !(nb201 ? DARTS_ONLY : NB201_ONLY).has(f.key));
}
