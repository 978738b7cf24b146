/**
 * BatchSource over a precomputed, normalized float32 NHWC split. Each epoch is a fresh
 * permutation from the source's own Rng (unless sequential); the last partial batch is kept
 * (drop_last = false, as the official loaders). Tensors are made outside any tf.tidy; the
 * caller disposes them.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import type { Batch, BatchSource } from './types';
import { augmentInto, cropPadding } from './augment';

export interface SourceOptions {
  batch: number;
  /** Reshuffle every epoch from this rng; absent = fixed file order (test split). */
  rng?: Rng;
  /** Random crop + flip per image (needs rng); padValue = normalized black per channel. */
  augment?: { padValue: Float32Array };
}

export class ArrayBatchSource implements BatchSource {
  readonly batchesPerEpoch: number;
  readonly size: number;
  private order: Int32Array;
  private pos: number;
  private epochs = 0;
  private readonly px: number;

  constructor(
    private readonly x: Float32Array, private readonly y: Int32Array,
    private readonly side: number, private readonly channels: number, private readonly opts: SourceOptions,
  ) {
    this.size = y.length;
    this.px = side * side * channels;
    this.batchesPerEpoch = Math.ceil(this.size / opts.batch);
    this.order = Int32Array.from({ length: this.size }, (_, i) => i);
    this.pos = this.size; // first next() starts epoch 0
  }

  /** Completed passes over the split. */
  get epoch(): number {
    return Math.max(0, this.epochs - 1);
  }

  /** The next batch's arrays (what next() uploads); for tests and non-tf consumers. */
  nextArrays(): { x: Float32Array; y: Int32Array; n: number } {
    if (this.pos >= this.size) {
      this.pos = 0;
      this.epochs++;
      this.opts.rng?.shuffle(this.order);
    }
    const n = Math.min(this.opts.batch, this.size - this.pos);
    const x = new Float32Array(n * this.px);
    const y = new Int32Array(n);
    const pad = cropPadding(this.side);
    for (let i = 0; i < n; i++) {
      const j = this.order[this.pos + i];
      y[i] = this.y[j];
      if (this.opts.augment && this.opts.rng) {
        augmentInto(this.x, j * this.px, x, i * this.px, this.side, this.channels, pad, this.opts.augment.padValue, this.opts.rng);
      } else x.set(this.x.subarray(j * this.px, (j + 1) * this.px), i * this.px);
    }
    this.pos += n;
    return { x, y, n };
  }

  next(): Batch {
    const { x, y, n } = this.nextArrays();
    return { x: tf.tensor4d(x, [n, this.side, this.side, this.channels]), y: tf.tensor1d(y, 'int32') };
  }
}
