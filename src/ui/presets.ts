/**
 * The page's presets: one place for their run configurations, the methods they race and the
 * guidance a newcomer reads. The URL names a preset and overrides any field of it (url.ts).
 */
import type { Method, RunConfig } from '../core/config';

export interface Preset {
  id: string;
  title: string;
  /** Fields over DEFAULT_CONFIG. */
  config: Partial<RunConfig>;
  /** One run per method, stepped alternately on the same batches. */
  runs: Method[];
  /** Two or three sentences for a newcomer: what to watch, and what the run really shows. */
  guidance: string;
}

/**
 * ALGORITHM.md §8's browser-scale setup: NB201, C=8, N=1, 16×16, batch 64, arch lr 3e-3, λ=0.25
 * (ramped), ε0=1e-4, 30 epochs, no augmentation, 2,000 + 2,000 images of the built-in CIFAR-10 (the
 * first 4,000 of data_batch_1, the images §8 was measured on).
 */
const NB201_RACE: Partial<RunConfig> = {
  space: 'nb201', C: 8, N: 1, imageSize: 16, batch: 64, limit: 2000, epochs: 30, augment: false,
  archLr: 3e-3, lambda: 0.25, epsilon0: 1e-4, lambdaRamp: true, seed: 0, dataset: 'cifar10',
};

/** RobustDARTS spaces at browser scale: 5 cells, C=4, 16×16. Not measured at this scale. */
const SMALL_DARTS: Partial<RunConfig> = {
  C: 4, layers: 5, steps: 4, imageSize: 16, batch: 32, limit: 1000, epochs: 20, augment: false,
  archLr: 3e-4, lambda: 0.125, epsilon0: 1e-4, lambdaRamp: true, seed: 0, dataset: 'cifar10',
};

export const PRESETS: Preset[] = [
  {
    id: 'race-nb201',
    title: 'Collapse race on NAS-Bench-201',
    config: NB201_RACE,
    runs: ['darts', 'lambda'],
    guidance:
      'DARTS and Λ-DARTS search the same NAS-Bench-201 supernet on 4,000 built-in CIFAR-10 images (2,000 train the weights, 2,000 the architecture): same seed, same weights at step 0, same batches. ' +
      'Measured with the CLI on exactly this setup (seed 0): DARTS\'s skip_connect count climbs until every edge is a skip connection (epoch 15–16, the 54% cell), while Λ-DARTS picks no skip connection and ends near 88% on NAS-Bench-201, its alignment Λ rising to about 0.66. ' +
      'Watch train vs valid accuracy and the reg/task ratio as well: DARTS collapses as its weights overfit their half (train 0.96, valid 0.38), part of Λ-DARTS\'s protection is slower weight training (train accuracy near 0.3), and its cells lean on \'none\' edges rather than reaching the best cell. DARTS\'s own Λ also rises after it collapses.',
  },
  {
    id: 'race-s2',
    title: 'Λ-DARTS vs DARTS on RobustDARTS S2',
    config: { ...SMALL_DARTS, space: 's2' },
    runs: ['darts', 'lambda'],
    guidance:
      'S2 offers only skip_connect and sep_conv_3x3 on every edge of a DARTS cell, the space where RobustDARTS showed DARTS choosing skip connections. ' +
      'Compare the skip counts of the normal cells and which layers vote for skip in the per-layer view. This small browser-scale setup has not been measured: read the curves, not the paper\'s story.',
  },
  {
    id: 'race-s3',
    title: 'Λ-DARTS vs DARTS on RobustDARTS S3',
    config: { ...SMALL_DARTS, space: 's3' },
    runs: ['darts', 'lambda'],
    guidance:
      'S3 adds none to S2\'s skip_connect and sep_conv_3x3. Parameter-free picks (none and skip) are what collapse looks like here; the collapse indicator counts both. ' +
      'Not measured at this scale: the contrast may be weak or absent in a few epochs.',
  },
  {
    id: 'lambda-s5',
    title: 'Λ-DARTS on the DARTS space',
    config: { ...SMALL_DARTS, space: 's5', C: 4, layers: 5, batch: 16, limit: 500, epochs: 10 },
    runs: ['lambda'],
    guidance:
      'The DARTS space (7 ops, normal and reduction cells) with Λ-DARTS alone: it is several times heavier per step than NAS-Bench-201, so expect slow progress without a fast GPU. ' +
      'The correlation heatmap shows how aligned the normal cells\' gradients are; the derived normal and reduction cells are drawn as graphs.',
  },
  {
    id: 'tiny',
    title: 'Quick look (tiny supernet)',
    config: { ...NB201_RACE, C: 2, imageSize: 8, batch: 4, limit: 64, epochs: 4 },
    runs: ['darts', 'lambda'],
    guidance:
      'A deliberately tiny race (C=2, 8×8 images, batch 4) that moves within seconds even without a GPU. It shows what every chart is, not how the methods compare: the numbers at this size mean little.',
  },
];

export const DEFAULT_PRESET = PRESETS[0];

export function presetById(id: string | null | undefined): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
