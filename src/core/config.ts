/**
 * The one typed run configuration (DESIGN.md): defaults, which fields are hot (applied
 * live) or cold (reset the run), and validation that names the offending field.
 * The same field list drives the CLI flags, the URL and the controls.
 */
import { ConfigError, SPACE_NAMES, type SpaceName } from './spaces';

export type Method = 'darts' | 'darts2' | 'lambda';
export type CorrType = 'corr' | 'signcorr';
export type StepOrder = 'auto' | 'weights-first' | 'arch-first';

export interface RunConfig {
  space: SpaceName;
  method: Method;
  /** Initial channels. */
  C: number;
  /** NB201: search cells per stage. */
  N: number;
  /** DARTS spaces: number of cells (reductions at layers//3 and 2·layers//3). */
  layers: number;
  /** DARTS spaces: intermediate nodes per cell. */
  steps: number;
  multiplier: number;
  stemMultiplier: number;
  classes: number;
  inChannels: number;
  imageSize: number;
  batch: number;
  epochs: number;
  seed: number;
  dataset: string;
  /** Images per split (train half, valid half); 0 = all. */
  limit: number;
  augment: boolean;
  lr: number;
  lrMin: number;
  momentum: number;
  weightDecay: number;
  gradClip: number;
  archLr: number;
  archWeightDecay: number;
  archBeta1: number;
  archBeta2: number;
  lambda: number;
  epsilon0: number;
  corr: CorrType;
  lambdaRamp: boolean;
  regularizeReduce: boolean;
  stepOrder: StepOrder;
  /** darts2: finite-difference radius numerator (ε = r/‖∇ω′L_val‖). */
  unrolledR: number;
  /** Comma-separated op list replacing the space's own on every edge ('' = the space's). */
  ops: string;
}

export const DEFAULT_CONFIG: RunConfig = {
  space: 'nb201',
  method: 'lambda',
  C: 8,
  N: 1,
  layers: 5,
  steps: 4,
  multiplier: 4,
  stemMultiplier: 3,
  classes: 10,
  inChannels: 3,
  imageSize: 16,
  batch: 64,
  epochs: 30,
  seed: 0,
  dataset: 'synthetic',
  limit: 2000,
  augment: false,
  lr: 0.025,
  lrMin: 0.001,
  momentum: 0.9,
  weightDecay: 3e-4,
  gradClip: 5,
  archLr: 3e-3,
  archWeightDecay: 1e-3,
  archBeta1: 0.5,
  archBeta2: 0.999,
  lambda: 0.25,
  epsilon0: 1e-4,
  corr: 'corr',
  lambdaRamp: true,
  regularizeReduce: false,
  stepOrder: 'auto',
  unrolledR: 1e-2,
  ops: '',
};

type Kind = 'int' | 'number' | 'bool' | 'string' | 'enum';
export interface FieldSpec {
  key: keyof RunConfig;
  /** CLI flag (kebab-case) */
  flag: string;
  kind: Kind;
  hot: boolean;
  help: string;
  min?: number;
  max?: number;
  choices?: readonly string[];
}

export const FIELDS: FieldSpec[] = [
  { key: 'space', flag: 'space', kind: 'enum', hot: false, choices: SPACE_NAMES, help: 'search space: nb201, s5 (DARTS 7 ops), darts (8 ops with none), s1–s4 (RobustDARTS)' },
  { key: 'method', flag: 'method', kind: 'enum', hot: false, choices: ['darts', 'darts2', 'lambda'], help: 'darts (first order), darts2 (unrolled, second order), lambda (Λ-DARTS)' },
  { key: 'C', flag: 'C', kind: 'int', hot: false, min: 1, max: 256, help: 'initial channels' },
  { key: 'N', flag: 'N', kind: 'int', hot: false, min: 1, max: 10, help: 'NB201: search cells per stage' },
  { key: 'layers', flag: 'layers', kind: 'int', hot: false, min: 1, max: 20, help: 'DARTS spaces: cells in the supernet' },
  { key: 'steps', flag: 'steps', kind: 'int', hot: false, min: 1, max: 6, help: 'DARTS spaces: intermediate nodes per cell' },
  { key: 'multiplier', flag: 'multiplier', kind: 'int', hot: false, min: 1, max: 6, help: 'DARTS spaces: nodes concatenated into the cell output (last ones)' },
  { key: 'stemMultiplier', flag: 'stem-multiplier', kind: 'int', hot: false, min: 1, max: 6, help: 'DARTS spaces: stem channels = stemMultiplier·C' },
  { key: 'classes', flag: 'classes', kind: 'int', hot: false, min: 2, max: 1000, help: 'number of classes (set by the dataset when it has them)' },
  { key: 'inChannels', flag: 'in-channels', kind: 'int', hot: false, min: 1, max: 4, help: 'input image channels (set by the dataset)' },
  { key: 'imageSize', flag: 'image-size', kind: 'int', hot: false, min: 2, max: 256, help: 'input height = width fed to the supernet' },
  { key: 'batch', flag: 'batch', kind: 'int', hot: false, min: 1, max: 1024, help: 'batch size (train and valid)' },
  { key: 'epochs', flag: 'epochs', kind: 'int', hot: false, min: 1, max: 1000, help: 'search epochs (cosine lr and λ ramp span them)' },
  { key: 'seed', flag: 'seed', kind: 'int', hot: false, min: 0, max: 2 ** 31 - 1, help: 'seed of the one RNG behind every random draw' },
  { key: 'dataset', flag: 'dataset', kind: 'string', hot: false, help: 'synthetic | cifar10 (built in) | mnist (built in) | cifar10-bin:PATH[,PATH] | idx:IMAGES,LABELS | zip:PATH | …' },
  { key: 'limit', flag: 'limit', kind: 'int', hot: false, min: 0, max: 1e7, help: 'images per split (train half / valid half); 0 = all' },
  { key: 'augment', flag: 'augment', kind: 'bool', hot: false, help: 'random flip and crop-with-padding on the training images' },
  { key: 'lr', flag: 'lr', kind: 'number', hot: true, min: 0, max: 10, help: 'weight SGD learning rate (cosine per epoch to lr-min)' },
  { key: 'lrMin', flag: 'lr-min', kind: 'number', hot: true, min: 0, max: 10, help: 'final weight learning rate' },
  { key: 'momentum', flag: 'momentum', kind: 'number', hot: true, min: 0, max: 1, help: 'SGD momentum' },
  { key: 'weightDecay', flag: 'weight-decay', kind: 'number', hot: true, min: 0, max: 1, help: 'SGD weight decay (L2, added to the gradient)' },
  { key: 'gradClip', flag: 'grad-clip', kind: 'number', hot: true, min: 0, max: 1e6, help: 'max global gradient norm of the weight step (0 = off)' },
  { key: 'archLr', flag: 'arch-lr', kind: 'number', hot: true, min: 0, max: 10, help: 'Adam learning rate of α' },
  { key: 'archWeightDecay', flag: 'arch-weight-decay', kind: 'number', hot: true, min: 0, max: 1, help: 'L2 weight decay of α (added to the gradient, not AdamW)' },
  { key: 'archBeta1', flag: 'arch-beta1', kind: 'number', hot: false, min: 0, max: 0.999999, help: 'Adam β1 of α' },
  { key: 'archBeta2', flag: 'arch-beta2', kind: 'number', hot: false, min: 0, max: 0.999999, help: 'Adam β2 of α' },
  { key: 'lambda', flag: 'lambda', kind: 'number', hot: true, min: 0, max: 100, help: 'Λ-DARTS regularization strength λ (ramped λ·e/(E−1))' },
  { key: 'epsilon0', flag: 'epsilon0', kind: 'number', hot: true, min: 1e-12, max: 1, help: 'norm of the perturbation of the mixing weights (ε0)' },
  { key: 'corr', flag: 'corr', kind: 'enum', hot: true, choices: ['corr', 'signcorr'], help: 'alignment measure regularized: corr (cosine) or signcorr' },
  { key: 'lambdaRamp', flag: 'lambda-ramp', kind: 'bool', hot: true, help: 'ramp λ linearly from 0 over the epochs (official)' },
  { key: 'regularizeReduce', flag: 'regularize-reduce', kind: 'bool', hot: false, help: 'DARTS spaces: also regularize reduction cells' },
  { key: 'stepOrder', flag: 'step-order', kind: 'enum', hot: false, choices: ['auto', 'weights-first', 'arch-first'], help: 'auto: NB201 weights first, DARTS spaces α first (official)' },
  { key: 'ops', flag: 'ops', kind: 'string', hot: false, help: "comma-separated candidate ops for every edge, replacing the space's (e.g. none,skip_connect,nor_conv_3x3)" },
  { key: 'unrolledR', flag: 'unrolled-r', kind: 'number', hot: true, min: 1e-12, max: 1, help: 'darts2: Hessian-vector finite difference radius numerator r (ε = r/‖∇ω′L_val‖)' },
];

export function fieldByFlag(flag: string): FieldSpec | undefined {
  return FIELDS.find((f) => f.flag === flag || f.key === flag);
}

/** Parse one textual value for a field; throws ConfigError naming the field. */
export function parseFieldValue(f: FieldSpec, raw: string): RunConfig[keyof RunConfig] {
  switch (f.kind) {
    case 'int': {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isInteger(v)) throw new ConfigError(f.key, `expected an integer, got '${raw}'`);
      return v;
    }
    case 'number': {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v)) throw new ConfigError(f.key, `expected a number, got '${raw}'`);
      return v;
    }
    case 'bool':
      if (['1', 'true', 'yes', 'on', ''].includes(raw)) return true;
      if (['0', 'false', 'no', 'off'].includes(raw)) return false;
      throw new ConfigError(f.key, `expected true or false, got '${raw}'`);
    case 'enum':
      if (!f.choices!.includes(raw)) throw new ConfigError(f.key, `expected one of ${f.choices!.join(', ')}, got '${raw}'`);
      return raw as never;
    default:
      return raw;
  }
}

/** Defaults merged with overrides, then validated. */
export function makeConfig(over: Partial<RunConfig> = {}): RunConfig {
  const cfg = { ...DEFAULT_CONFIG, ...over };
  validateConfig(cfg);
  return cfg;
}

/** Throws ConfigError naming the first bad field. */
export function validateConfig(cfg: RunConfig): void {
  for (const f of FIELDS) {
    const v = cfg[f.key] as unknown;
    if (f.kind === 'int' || f.kind === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(f.key, `expected a number, got ${String(v)}`);
      if (f.kind === 'int' && !Number.isInteger(v)) throw new ConfigError(f.key, `expected an integer, got ${v}`);
      if (f.min !== undefined && v < f.min) throw new ConfigError(f.key, `must be ≥ ${f.min}, got ${v}`);
      if (f.max !== undefined && v > f.max) throw new ConfigError(f.key, `must be ≤ ${f.max}, got ${v}`);
    } else if (f.kind === 'enum') {
      if (!f.choices!.includes(v as string)) throw new ConfigError(f.key, `expected one of ${f.choices!.join(', ')}, got '${String(v)}'`);
    } else if (f.kind === 'bool') {
      if (typeof v !== 'boolean') throw new ConfigError(f.key, `expected true or false, got ${String(v)}`);
    }
  }
  if (cfg.multiplier > cfg.steps) throw new ConfigError('multiplier', `must be ≤ steps (${cfg.steps}), got ${cfg.multiplier}`);
  if (cfg.lrMin > cfg.lr) throw new ConfigError('lrMin', `must be ≤ lr (${cfg.lr}), got ${cfg.lrMin}`);
  // Enough resolution for the reductions: NB201 halves twice, DARTS once per reduction cell;
  // FactorizedReduce and the stride-2 ops need even sizes at each reduction.
  const reductions = cfg.space === 'nb201' ? 2 : [Math.floor(cfg.layers / 3), Math.floor((2 * cfg.layers) / 3)].filter((i, k, a) => i < cfg.layers && a.indexOf(i) === k).length;
  let h = cfg.imageSize;
  for (let r = 0; r < reductions; r++) {
    if (h < 2 || h % 2 !== 0) {
      throw new ConfigError('imageSize', `input ${cfg.imageSize}×${cfg.imageSize} is too small or odd for ${reductions} stride-2 reductions (size ${h} at reduction ${r + 1}); use a multiple of ${2 ** reductions}`);
    }
    h /= 2;
  }
  if (cfg.space !== 'nb201' && cfg.C * cfg.multiplier < 1) throw new ConfigError('C', 'must be ≥ 1');
}

/** λ_e = λ·e/(E−1) with the ramp on (official), λ otherwise; one epoch runs at full λ. */
export function lambdaAt(cfg: Pick<RunConfig, 'lambda' | 'lambdaRamp' | 'epochs'>, epoch: number): number {
  if (!cfg.lambdaRamp || cfg.epochs <= 1) return cfg.lambda;
  return (cfg.lambda * epoch) / (cfg.epochs - 1);
}

/** Cosine annealing per epoch (torch CosineAnnealingLR, T_max = epochs). */
export function cosineLr(cfg: Pick<RunConfig, 'lr' | 'lrMin' | 'epochs'>, epoch: number): number {
  return cfg.lrMin + ((cfg.lr - cfg.lrMin) * (1 + Math.cos((Math.PI * epoch) / cfg.epochs))) / 2;
}

/**
 * The official order: NB201 (DARTS-V1) does the weight step first, the DARTS-space code the α
 * step first; unrolled DARTS (darts2) always steps α first, as the DARTS paper's Algorithm 1.
 */
export function resolveStepOrder(cfg: Pick<RunConfig, 'stepOrder' | 'space' | 'method'>): 'weights-first' | 'arch-first' {
  if (cfg.stepOrder !== 'auto') return cfg.stepOrder;
  if (cfg.method === 'darts2') return 'arch-first';
  return cfg.space === 'nb201' ? 'weights-first' : 'arch-first';
}
