/**
 * What every supernet exposes to the step: its tensors (names, layouts, order), its cells
 * and which of them read mixing weights, and a forward pass that takes each cell's own copy
 * p^ℓ of the mixing weights as an explicit input (ALGORITHM.md §4, DESIGN.md numeric rules).
 */
import type * as tf from '@tensorflow/tfjs';
import type { Fwd } from './ops';
import type { BufferSpec, ParamSpec } from './params';
import type { OpName, SearchSpace } from './spaces';

export type CellType = 'normal' | 'reduce';

/** One α tensor, shared by every cell of its type. */
export interface AlphaSpec {
  /** PyTorch name: `arch_parameters` (NB201) or `alphas_normal` / `alphas_reduce`. */
  name: string;
  type: CellType;
  ops: OpName[][];
  numEdges: number;
  numOps: number;
}

/** A cell that reads mixing weights. */
export interface MixCell {
  /** Index in the network's cell list (`cells.{i}`). */
  cellIndex: number;
  type: CellType;
  /** Index into `alphas`. */
  alpha: number;
  regularized: boolean;
}

export interface Supernet {
  space: SearchSpace;
  params: ParamSpec[];
  buffers: BufferSpec[];
  alphas: AlphaSpec[];
  /** Cells with mixing weights, in forward order; `mix[i]` of `forward` belongs to `mixCells[i]`. */
  mixCells: MixCell[];
  /** Whether the official clip norm includes ∂L_train/∂α (NB201 clips network.parameters()). */
  clipIncludesAlpha: boolean;
  /** Human-readable structure, for the UI and checks. */
  describe: string[];
  forward(x: tf.Tensor4D, mix: tf.Tensor2D[], f: Fwd): tf.Tensor2D;
}

export function totalParams(net: Supernet): number {
  return net.params.reduce((a, p) => a + p.torchShape.reduce((x, y) => x * y, 1), 0);
}
