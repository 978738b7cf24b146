/**
 * Genotypes (ALGORITHM.md §5): derivation from α, the NB201 arch string and the DARTS
 * `Genotype(...)` text, and parsing both back.
 */
import { NB201_EDGES, PARAMETER_FREE, type OpName } from './spaces';
import type { AlphaSpec } from './network';

/** NB201: one op per edge, in α row order (1←0, 2←0, 2←1, 3←0, 3←1, 3←2). */
export type Nb201Genotype = OpName[];

export interface DartsGenotype {
  normal: [OpName, number][];
  normal_concat: number[];
  reduce: [OpName, number][];
  reduce_concat: number[];
}

export type Genotype = { kind: 'nb201'; ops: Nb201Genotype } | { kind: 'darts'; genotype: DartsGenotype };

/** First index of the maximum (torch.argmax / Python's strict '>' scan). */
function argmaxWhere(row: ArrayLike<number>, ok: (k: number) => boolean): number {
  let best = -1;
  for (let k = 0; k < row.length; k++) if (ok(k) && (best < 0 || row[k] > row[best])) best = k;
  return best;
}

/** NB201 `genotype()`: argmax of each α row; may pick 'none'. */
export function deriveNb201(alpha: ArrayLike<number>, spec: AlphaSpec): Nb201Genotype {
  const K = spec.numOps;
  return Array.from({ length: spec.numEdges }, (_, e) => {
    const row = Array.from({ length: K }, (_, k) => alpha[e * K + k]);
    return spec.ops[e][argmaxWhere(row, () => true)];
  });
}

/**
 * DARTS `_parse`: for node i keep the 2 inputs whose strongest non-'none' weight is largest
 * (stable sort: ties keep the lower input), and on each the best non-'none' op.
 * `weights` are softmax(α) rows, [E, K] flattened.
 */
export function parseDartsCell(weights: ArrayLike<number>, spec: AlphaSpec, steps: number): [OpName, number][] {
  const K = spec.numOps;
  const gene: [OpName, number][] = [];
  let start = 0;
  for (let i = 0; i < steps; i++) {
    const n = i + 2;
    const strength = (j: number) => {
      const ops = spec.ops[start + j];
      let m = -Infinity;
      for (let k = 0; k < K; k++) if (ops[k] !== 'none') m = Math.max(m, weights[(start + j) * K + k]);
      return m;
    };
    const inputs = Array.from({ length: n }, (_, j) => j).sort((a, b) => strength(b) - strength(a)).slice(0, 2);
    for (const j of inputs) {
      const ops = spec.ops[start + j];
      const row = Array.from({ length: K }, (_, k) => weights[(start + j) * K + k]);
      const k = argmaxWhere(row, (k) => ops[k] !== 'none');
      gene.push([k < 0 ? 'none' : ops[k], j]);
    }
    start += n;
  }
  return gene;
}

export function deriveDarts(pNormal: ArrayLike<number>, pReduce: ArrayLike<number>, specs: AlphaSpec[], steps: number, multiplier: number): DartsGenotype {
  const concat = Array.from({ length: multiplier }, (_, i) => 2 + steps - multiplier + i);
  return {
    normal: parseDartsCell(pNormal, specs[0], steps),
    normal_concat: concat,
    reduce: parseDartsCell(pReduce, specs[1], steps),
    reduce_concat: [...concat],
  };
}

/** `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|` */
export function nb201ToString(ops: Nb201Genotype): string {
  const groups: string[] = [];
  for (let node = 1; node < 4; node++) {
    const parts = NB201_EDGES.map(([to, from], e) => (to === node ? `${ops[e]}~${from}` : null)).filter(Boolean);
    groups.push(`|${parts.join('|')}|`);
  }
  return groups.join('+');
}

export function parseNb201(s: string): Nb201Genotype {
  const groups = s.trim().split('+');
  if (groups.length !== 3) throw new Error(`NB201 arch string must have 3 groups separated by '+': ${s}`);
  const ops: OpName[] = new Array(6);
  groups.forEach((g, gi) => {
    const node = gi + 1;
    const items = g.split('|').filter((t) => t.length > 0);
    if (items.length !== node) throw new Error(`NB201 arch string: node ${node} must have ${node} inputs, got '${g}'`);
    for (const it of items) {
      const [op, from] = it.split('~');
      const e = NB201_EDGES.findIndex(([t, f]) => t === node && f === Number(from));
      if (e < 0) throw new Error(`NB201 arch string: bad input '${it}'`);
      ops[e] = op as OpName;
    }
  });
  return ops;
}

const fmtGene = (g: [OpName, number][]) => `[${g.map(([op, j]) => `('${op}', ${j})`).join(', ')}]`;

/** DARTS genotypes.py form: `Genotype(normal=[('sep_conv_3x3', 1), …], normal_concat=[2, 3, 4, 5], …)`. */
export function dartsToString(g: DartsGenotype): string {
  return `Genotype(normal=${fmtGene(g.normal)}, normal_concat=[${g.normal_concat.join(', ')}], reduce=${fmtGene(g.reduce)}, reduce_concat=[${g.reduce_concat.join(', ')}])`;
}

/** Parses the genotypes.py form and the official printout (`normal_concat=range(2, 6)`). */
export function parseDarts(s: string): DartsGenotype {
  const field = (name: string) => {
    const m = new RegExp(`${name}\\s*=\\s*(\\[[^\\]]*\\]|range\\(\\s*\\d+\\s*,\\s*\\d+\\s*\\))`).exec(s);
    if (!m) throw new Error(`Genotype text has no '${name}=' field`);
    return m[1];
  };
  const gene = (txt: string): [OpName, number][] =>
    [...txt.matchAll(/\(\s*['"]([a-z0-9_]+)['"]\s*,\s*(\d+)\s*\)/g)].map((m) => [m[1] as OpName, Number(m[2])]);
  const concat = (txt: string) => {
    const r = /range\(\s*(\d+)\s*,\s*(\d+)\s*\)/.exec(txt);
    if (r) return Array.from({ length: Number(r[2]) - Number(r[1]) }, (_, i) => Number(r[1]) + i);
    return txt.replace(/[[\]\s]/g, '').split(',').filter(Boolean).map(Number);
  };
  if (!/^\s*Genotype\s*\(/.test(s)) throw new Error(`not a DARTS Genotype(...) text: ${s.slice(0, 40)}`);
  return {
    normal: gene(field('normal')),
    normal_concat: concat(field('normal_concat')),
    reduce: gene(field('reduce')),
    reduce_concat: concat(field('reduce_concat')),
  };
}

export function genotypeToString(g: Genotype): string {
  return g.kind === 'nb201' ? nb201ToString(g.ops) : dartsToString(g.genotype);
}

/** skip_connect edges in the derived cell(s) (DARTS: normal cell, the collapse symptom). */
export function skipCount(g: Genotype): number {
  const ops = g.kind === 'nb201' ? g.ops : g.genotype.normal.map(([op]) => op);
  return ops.filter((o) => o === 'skip_connect').length;
}

/** Parameter-free edges (skip, pools, none, noise) in the derived cell(s). */
export function parameterFreeCount(g: Genotype): number {
  const ops = g.kind === 'nb201' ? g.ops : g.genotype.normal.map(([op]) => op);
  return ops.filter((o) => PARAMETER_FREE.has(o)).length;
}
