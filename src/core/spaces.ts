/**
 * Search spaces: which candidate ops sit on which edge (ALGORITHM.md §5).
 * Op names are the official DARTS / NAS-Bench-201 strings.
 */

export type OpName =
  | 'none'
  | 'skip_connect'
  | 'nor_conv_1x1'
  | 'nor_conv_3x3'
  | 'avg_pool_3x3'
  | 'max_pool_3x3'
  | 'sep_conv_3x3'
  | 'sep_conv_5x5'
  | 'dil_conv_3x3'
  | 'dil_conv_5x5'
  | 'noise';

export const ALL_OPS: readonly OpName[] = [
  'none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3', 'max_pool_3x3',
  'sep_conv_3x3', 'sep_conv_5x5', 'dil_conv_3x3', 'dil_conv_5x5', 'noise',
];

/** Ops without weights: what collapse fills a cell with. */
export const PARAMETER_FREE: ReadonlySet<OpName> = new Set<OpName>([
  'none', 'skip_connect', 'avg_pool_3x3', 'max_pool_3x3', 'noise',
]);

export type SpaceName = 'nb201' | 's5' | 'darts' | 's1' | 's2' | 's3' | 's4';
export const SPACE_NAMES: readonly SpaceName[] = ['nb201', 's5', 'darts', 's1', 's2', 's3', 's4'];

/** The macro skeleton a space uses. */
export type Macro = 'nb201' | 'darts';

export interface SearchSpace {
  name: SpaceName;
  macro: Macro;
  /** Number of α rows (edges) per cell. */
  numEdges: number;
  /** Candidate ops of each edge, normal cells (all rows have the same length K). */
  normal: OpName[][];
  /** Candidate ops of each edge, reduction cells (DARTS macro only; NB201: same as normal). */
  reduce: OpName[][];
  describe: string;
}

/** NB201 column order (official `nas-bench-201` op list). */
export const NB201_OPS: OpName[] = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'];
/** Λ-DARTS s5: the DARTS ops without 'none'. */
export const S5_OPS: OpName[] = [
  'max_pool_3x3', 'avg_pool_3x3', 'skip_connect', 'sep_conv_3x3', 'sep_conv_5x5', 'dil_conv_3x3', 'dil_conv_5x5',
];
/** The original DARTS space (8 ops, with 'none'). */
export const DARTS_OPS: OpName[] = ['none', ...S5_OPS];

/** NB201 edges, α rows 0..5: [to, from]. */
export const NB201_EDGES: [number, number][] = [[1, 0], [2, 0], [2, 1], [3, 0], [3, 1], [3, 2]];

/** DARTS cell edges (steps intermediate nodes, nodes 0,1 are inputs): [to, from]. */
export function dartsEdges(steps: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < steps; i++) for (let j = 0; j < i + 2; j++) out.push([i + 2, j]);
  return out;
}

// RobustDARTS S1 (Zela et al., ICLR 2020, src/spaces.py primitives_1): per-edge op pairs.
const S1_NORMAL: OpName[][] = [
  ['skip_connect', 'dil_conv_3x3'], ['skip_connect', 'dil_conv_5x5'], ['skip_connect', 'dil_conv_5x5'],
  ['skip_connect', 'sep_conv_3x3'], ['skip_connect', 'dil_conv_3x3'], ['max_pool_3x3', 'skip_connect'],
  ['skip_connect', 'sep_conv_3x3'], ['skip_connect', 'sep_conv_3x3'], ['skip_connect', 'dil_conv_3x3'],
  ['skip_connect', 'sep_conv_3x3'], ['max_pool_3x3', 'skip_connect'], ['skip_connect', 'dil_conv_3x3'],
  ['dil_conv_3x3', 'dil_conv_5x5'], ['dil_conv_3x3', 'dil_conv_5x5'],
];
const S1_REDUCE: OpName[][] = [
  ['max_pool_3x3', 'avg_pool_3x3'], ['max_pool_3x3', 'dil_conv_3x3'], ['max_pool_3x3', 'avg_pool_3x3'],
  ['max_pool_3x3', 'avg_pool_3x3'], ['skip_connect', 'dil_conv_5x5'], ['max_pool_3x3', 'avg_pool_3x3'],
  ['max_pool_3x3', 'sep_conv_3x3'], ['skip_connect', 'dil_conv_3x3'], ['skip_connect', 'dil_conv_5x5'],
  ['max_pool_3x3', 'avg_pool_3x3'], ['max_pool_3x3', 'avg_pool_3x3'], ['skip_connect', 'dil_conv_5x5'],
  ['skip_connect', 'dil_conv_5x5'], ['skip_connect', 'dil_conv_5x5'],
];

const rep = (ops: OpName[], n: number): OpName[][] => Array.from({ length: n }, () => [...ops]);

/** Build a search space. `steps` sets the DARTS cell's intermediate nodes (S1 needs 4). */
export function makeSpace(name: SpaceName, steps = 4): SearchSpace {
  const E = (steps * (steps + 3)) / 2; // Σ_{i<steps} (i+2)
  switch (name) {
    case 'nb201':
      return { name, macro: 'nb201', numEdges: 6, normal: rep(NB201_OPS, 6), reduce: rep(NB201_OPS, 6), describe: 'NAS-Bench-201 (5 ops, 6 edges)' };
    case 's5':
      return { name, macro: 'darts', numEdges: E, normal: rep(S5_OPS, E), reduce: rep(S5_OPS, E), describe: 'DARTS space s5 (7 ops, no none)' };
    case 'darts':
      return { name, macro: 'darts', numEdges: E, normal: rep(DARTS_OPS, E), reduce: rep(DARTS_OPS, E), describe: 'original DARTS space (8 ops with none)' };
    case 's1':
      if (steps !== 4) throw new ConfigError('steps', 'space s1 defines op pairs for 14 edges, so steps must be 4');
      return { name, macro: 'darts', numEdges: 14, normal: S1_NORMAL.map((r) => [...r]), reduce: S1_REDUCE.map((r) => [...r]), describe: 'RobustDARTS S1 (per-edge op pairs)' };
    case 's2':
      return { name, macro: 'darts', numEdges: E, normal: rep(['skip_connect', 'sep_conv_3x3'], E), reduce: rep(['skip_connect', 'sep_conv_3x3'], E), describe: 'RobustDARTS S2 (skip, sep_conv_3x3)' };
    case 's3':
      return { name, macro: 'darts', numEdges: E, normal: rep(['none', 'skip_connect', 'sep_conv_3x3'], E), reduce: rep(['none', 'skip_connect', 'sep_conv_3x3'], E), describe: 'RobustDARTS S3 (none, skip, sep_conv_3x3)' };
    case 's4':
      return { name, macro: 'darts', numEdges: E, normal: rep(['noise', 'sep_conv_3x3'], E), reduce: rep(['noise', 'sep_conv_3x3'], E), describe: 'RobustDARTS S4 (noise, sep_conv_3x3)' };
    default:
      throw new ConfigError('space', `unknown space '${String(name)}'; expected one of ${SPACE_NAMES.join(', ')}`);
  }
}

/** Build a space from explicit op lists (e.g. a fixture's `config.ops`), validating every name. */
export function customSpace(base: SpaceName, ops: string[], numEdges: number): SearchSpace {
  for (const o of ops) {
    if (!(ALL_OPS as readonly string[]).includes(o)) throw new ConfigError('ops', `unknown op '${o}'; known ops: ${ALL_OPS.join(', ')}`);
  }
  const sp = makeSpace(base);
  return { ...sp, numEdges, normal: rep(ops as OpName[], numEdges), reduce: rep(ops as OpName[], numEdges) };
}

/** An invalid configuration; `field` names the offending field. */
export class ConfigError extends Error {
  constructor(public field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'ConfigError';
  }
}
