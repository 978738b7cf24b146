/** What the discrete (retrainable) networks expose, and the parsing of a genotype text into one of them. */
import type * as tf from '@tensorflow/tfjs';
import { parseDarts, type DartsGenotype, type Genotype } from '../core/genotype';
import type { BufferSpec, ParamSpec } from '../core/params';
import { ArchError, parseArch } from './nb201-arch';
import type { Ctx } from './layers';

export interface DiscreteNet {
  kind: 'nb201' | 'darts';
  /** Parameters in PyTorch registration order and naming. */
  params: ParamSpec[];
  buffers: BufferSpec[];
  hasAux: boolean;
  describe: string[];
  /** Logits, and the auxiliary head's logits when it exists and the pass is in training mode. */
  forward(x: tf.Tensor4D, c: Ctx): { logits: tf.Tensor2D; aux: tf.Tensor2D | null };
}

/** Σ of parameter sizes; the auxiliary head is left out by default (as DARTS reports "param size"). */
export function countParams(net: Pick<DiscreteNet, 'params'>, includeAux = false): number {
  return net.params
    .filter((p) => includeAux || !p.name.startsWith('auxiliary_head.'))
    .reduce((a, p) => a + p.torchShape.reduce((x, y) => x * y, 1), 0);
}

const DARTS_EVAL_OPS = ['none', 'max_pool_3x3', 'avg_pool_3x3', 'skip_connect', 'sep_conv_3x3', 'sep_conv_5x5', 'dil_conv_3x3', 'dil_conv_5x5', 'noise'];

/** NB201 arch string or DARTS `Genotype(...)` text → Genotype; throws an Error naming what is wrong. */
export function parseGenotypeText(text: string): Genotype {
  const s = text.trim();
  if (/^Genotype\s*\(/.test(s)) {
    const g = parseDarts(s);
    validateDarts(g);
    return { kind: 'darts', genotype: g };
  }
  try {
    return { kind: 'nb201', ops: parseArch(s) };
  } catch (e) {
    if (e instanceof ArchError && s.includes('~')) throw e;
    throw new Error(`'${s.slice(0, 80)}' is neither an NB201 arch string (|op~0|+|op~0|op~1|+…) nor a DARTS Genotype(normal=[…], …)`);
  }
}

/** Each cell: 2 genes per node, inputs of node i (0-based) in 0..i+1, known ops, concat within the states. */
export function validateDarts(g: DartsGenotype): void {
  for (const [name, gene, concat] of [['normal', g.normal, g.normal_concat], ['reduce', g.reduce, g.reduce_concat]] as const) {
    if (gene.length === 0 || gene.length % 2 !== 0) throw new Error(`Genotype ${name}: expected 2 (op, input) pairs per node, got ${gene.length}`);
    const steps = gene.length / 2;
    gene.forEach(([op, j], k) => {
      const node = Math.floor(k / 2);
      if (!DARTS_EVAL_OPS.includes(op)) throw new Error(`Genotype ${name}[${k}]: unknown op '${op}' (known: ${DARTS_EVAL_OPS.join(', ')})`);
      if (!(Number.isInteger(j) && j >= 0 && j < node + 2)) throw new Error(`Genotype ${name}[${k}]: node ${node + 2} cannot read state ${j}`);
    });
    if (concat.length === 0 || concat.some((i) => !(Number.isInteger(i) && i >= 0 && i < steps + 2))) {
      throw new Error(`Genotype ${name}_concat [${concat.join(', ')}]: expected state indices in 0..${steps + 1}`);
    }
  }
}
