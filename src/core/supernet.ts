/** Builds the supernet a run configuration describes. */
import type { RunConfig } from './config';
import { buildDarts } from './darts';
import { buildNb201 } from './nb201';
import type { Supernet } from './network';
import { ALL_OPS, ConfigError, makeSpace, type OpName, type SearchSpace } from './spaces';

const NB201_ALLOWED: OpName[] = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'];
const DARTS_ALLOWED: OpName[] = ['none', 'skip_connect', 'max_pool_3x3', 'avg_pool_3x3', 'sep_conv_3x3', 'sep_conv_5x5', 'dil_conv_3x3', 'dil_conv_5x5', 'noise'];

/** The space of a config, with the `ops` override applied and checked. */
export function spaceOf(cfg: Pick<RunConfig, 'space' | 'steps' | 'ops'>): SearchSpace {
  const space = makeSpace(cfg.space, cfg.steps);
  if (!cfg.ops.trim()) return space;
  const ops = cfg.ops.split(',').map((o) => o.trim()).filter(Boolean);
  if (ops.length === 0) throw new ConfigError('ops', 'the op list is empty');
  if (new Set(ops).size !== ops.length) throw new ConfigError('ops', `duplicate op in '${cfg.ops}'`);
  const allowed = space.macro === 'nb201' ? NB201_ALLOWED : DARTS_ALLOWED;
  for (const o of ops) {
    if (!(ALL_OPS as readonly string[]).includes(o)) throw new ConfigError('ops', `unknown op '${o}'; known ops: ${ALL_OPS.join(', ')}`);
    if (!allowed.includes(o as OpName)) throw new ConfigError('ops', `op '${o}' does not exist in the ${space.macro === 'nb201' ? 'NAS-Bench-201' : 'DARTS'} cell; allowed: ${allowed.join(', ')}`);
  }
  const rows = (n: number) => Array.from({ length: n }, () => [...ops] as OpName[]);
  return { ...space, normal: rows(space.numEdges), reduce: rows(space.numEdges), describe: `${space.describe}, ops ${ops.join(', ')}` };
}

export function buildSupernet(cfg: RunConfig, space: SearchSpace = spaceOf(cfg)): Supernet {
  if (space.macro === 'nb201') {
    return buildNb201(space, { C: cfg.C, N: cfg.N, classes: cfg.classes, inChannels: cfg.inChannels });
  }
  if (cfg.C % 2 !== 0) throw new ConfigError('C', `DARTS cells need an even C (FactorizedReduce splits channels in halves), got ${cfg.C}`);
  return buildDarts(space, {
    C: cfg.C, layers: cfg.layers, steps: cfg.steps, multiplier: cfg.multiplier, stemMultiplier: cfg.stemMultiplier,
    classes: cfg.classes, inChannels: cfg.inChannels, regularizeReduce: cfg.regularizeReduce,
  });
}
