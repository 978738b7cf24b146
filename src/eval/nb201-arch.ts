/**
 * NAS-Bench-201 arch strings, strictly parsed, and NATS-Bench's canonical "unique string"
 * of a cell (its isomorphism class).
 *
 * The unique string is `Structure.to_unique_str(consider_zero=True)` of NATS-Bench: node 0 is
 * `0`; an edge `op~j` contributes `#` (zero) when op is 'none' or node j is exactly `#`, node j
 * itself when op is skip_connect, and `(node_j)@op` otherwise; node k joins its edges' strings,
 * sorted (code-point order, as Python's `sorted`), with `+`. The cell's string is node 3's.
 * This reproduces the `UniqueString` column of the 200-epoch table on all 15,625 rows
 * (test/eval/nb201-table.test.ts), which groups the cells into 6,466 classes.
 */
import { nb201ToString, type Nb201Genotype } from '../core/genotype';
import { NB201_EDGES, NB201_OPS, type OpName } from '../core/spaces';

export class ArchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchError';
  }
}

/**
 * `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|` → the 6 ops in edge order (1←0, 2←0, 2←1, 3←0, 3←1, 3←2).
 * Inputs within a group may come in any order; every input 0..k−1 of node k must appear once.
 */
export function parseArch(s: string): Nb201Genotype {
  const text = s.trim();
  const groups = text.split('+');
  if (groups.length !== 3) throw new ArchError(`'${s}' is not an NB201 arch string: expected 3 groups '|op~j|…' joined by '+', got ${groups.length}`);
  const ops: (OpName | undefined)[] = new Array(6).fill(undefined);
  groups.forEach((g, gi) => {
    const node = gi + 1;
    if (!/^\|.*\|$/.test(g)) throw new ArchError(`'${s}': group ${node} '${g}' must start and end with '|'`);
    const items = g.slice(1, -1).split('|');
    if (items.length !== node) throw new ArchError(`'${s}': node ${node} must have ${node} input(s), got ${items.length}`);
    for (const it of items) {
      const m = /^([a-z0-9_]+)~(\d+)$/.exec(it);
      if (!m) throw new ArchError(`'${s}': '${it}' is not 'op~input'`);
      const op = m[1] as OpName;
      const from = Number(m[2]);
      if (!NB201_OPS.includes(op)) throw new ArchError(`'${s}': unknown op '${op}' (NB201 ops: ${NB201_OPS.join(', ')})`);
      const e = NB201_EDGES.findIndex(([t, f]) => t === node && f === from);
      if (e < 0) throw new ArchError(`'${s}': node ${node} cannot take input ${from}`);
      if (ops[e] !== undefined) throw new ArchError(`'${s}': node ${node} lists input ${from} twice`);
      ops[e] = op;
    }
  });
  return ops as Nb201Genotype;
}

/** The official spelling of an arch (inputs in order), or throws ArchError. */
export function canonicalArch(s: string): string {
  return nb201ToString(parseArch(s));
}

/** NATS-Bench `to_unique_str(consider_zero=True)` of a cell. */
export function uniqueString(arch: string | Nb201Genotype): string {
  const ops = typeof arch === 'string' ? parseArch(arch) : arch;
  const nodes = ['0'];
  for (let k = 1; k < 4; k++) {
    const parts: string[] = [];
    NB201_EDGES.forEach(([to, from], e) => {
      if (to !== k) return;
      const op = ops[e];
      const x = nodes[from];
      parts.push(op === 'none' || x === '#' ? '#' : op === 'skip_connect' ? x : `(${x})@${op}`);
    });
    parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    nodes.push(parts.join('+'));
  }
  return nodes[3];
}

/** The 5^6 = 15,625 NB201 cells, in base-5 order of the edge ops (not the benchmark's index order). */
export function allArchs(): string[] {
  const out: string[] = [];
  for (let code = 0; code < 15625; code++) {
    const ops: OpName[] = [];
    for (let e = 0, c = code; e < 6; e++, c = Math.floor(c / 5)) ops.push(NB201_OPS[c % 5]);
    out.push(nb201ToString(ops));
  }
  return out;
}
