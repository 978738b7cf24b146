/**
 * The collapse experiment (ALGORITHM.md §8): NB201, C=8, N=1, 16×16, 2,000 + 2,000 CIFAR-10
 * images, batch 64, arch lr 3e-3, λ = 0.25 (ramped), ε0 = 1e-4, no augmentation, 30 epochs.
 * 'paper' is that setting; 'small' cuts the steps 4× (512 + 512 images, 8 steps per epoch, still
 * 30 epochs so the λ ramp and the cosine lr keep their shape) and runs 2 seeds; 'micro' also shrinks
 * each step ≈30× (C=4, 8×8 images, 256 + 256 images, batch 32), for the stock tfjs CPU kernels.
 * Measured here (fast CPU kernels, 2 shared cores): paper ≈ 0.8 s (DARTS) and 1.5 s (Λ-DARTS) per
 * step, ≈ 2.5 h in all; small 16 min: DARTS 54.30 / 87.51 % (6 / 5 skips), Λ-DARTS 89.88 / 92.00 %
 * (4 / 3 skips, Λ ≈ 0.5). Micro, stock kernels, seed 0: DARTS 88.33 % (4 skips, 12 min), Λ-DARTS
 * 92.77 % (0 skips, Λ 0.34, 28 min).
 */
import type { Method, RunConfig } from '../core/config';

export interface ReproducePreset {
  name: string;
  description: string;
  config: Partial<RunConfig>;
  seeds: number[];
  methods: Method[];
}

const COLLAPSE: Partial<RunConfig> = {
  space: 'nb201', C: 8, N: 1, imageSize: 16, batch: 64, archLr: 3e-3, lambda: 0.25, epsilon0: 1e-4,
  lambdaRamp: true, augment: false, epochs: 30, limit: 2000,
};

export const REPRODUCE_PRESETS: Record<string, ReproducePreset> = {
  paper: {
    name: 'paper', seeds: [0, 1, 2, 3], methods: ['darts', 'lambda'], config: COLLAPSE,
    description: 'NB201, C=8, N=1, 16×16, 2,000 + 2,000 images, batch 64, 30 epochs (32 steps each), 4 seeds',
  },
  small: {
    name: 'small', seeds: [0, 1], methods: ['darts', 'lambda'], config: { ...COLLAPSE, limit: 512 },
    description: 'as paper but 512 + 512 images (8 steps per epoch) and 2 seeds: 8× fewer steps',
  },
  micro: {
    name: 'micro', seeds: [0, 1], methods: ['darts', 'lambda'], config: { ...COLLAPSE, C: 4, imageSize: 8, batch: 32, limit: 256 },
    description: 'C=4, 8×8, 256 + 256 images, batch 32 (8 steps per epoch), 30 epochs, 2 seeds: ≈30× cheaper steps than paper (for --stock-kernels)',
  },
};

/** The PyTorch reference (ALGORITHM.md §8), printed next to the table. */
export const REFERENCE_NOTE =
  'Reference (independent PyTorch run, paper preset): DARTS ends in the all-skip cell (54.30%) at epoch 14–18; ' +
  'Λ-DARTS keeps 88.9–92.9% cells (≤ 3 skips) with Λ rising to ≈ 0.5–0.7.';
