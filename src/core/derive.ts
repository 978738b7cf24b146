/** The genotype of a supernet's current softmax(α) (NB201 argmax; DARTS top-2 without none). */
import type { RunConfig } from './config';
import { deriveDarts, deriveNb201, type Genotype } from './genotype';
import type { Supernet } from './network';

export function deriveGenotype(net: Supernet, softmax: Float32Array[], cfg: Pick<RunConfig, 'steps' | 'multiplier'>): Genotype {
  if (net.space.macro === 'nb201') return { kind: 'nb201', ops: deriveNb201(softmax[0], net.alphas[0]) };
  return { kind: 'darts', genotype: deriveDarts(softmax[0], softmax[1], net.alphas, cfg.steps, cfg.multiplier) };
}
