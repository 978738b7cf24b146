/**
 * Data contracts between src/data (sources, splits, augmentation) and src/core (the search).
 * No React, no DOM: runs in a worker and in Node.
 */
import type * as tf from '@tensorflow/tfjs';

/** A decoded image dataset: pixels as bytes, NHWC, row-major. */
export interface ImageDataset {
  /** Human-readable name, e.g. "CIFAR-10 (binary, 4000 images)" or "synthetic". */
  name: string;
  /** N·H·W·C bytes (0..255), NHWC. */
  images: Uint8Array;
  /** N integer labels in [0, numClasses). */
  labels: Int32Array;
  height: number;
  width: number;
  channels: number;
  numClasses: number;
  classNames?: string[];
  /** True for generated data (shown as "synthetic" in the UI). */
  synthetic?: boolean;
}

/** One batch: x is NHWC float32 (normalized), y int32 labels. The caller disposes both. */
export interface Batch {
  x: tf.Tensor4D;
  y: tf.Tensor1D;
}

/** An endless, seeded stream of batches over one split (reshuffled every epoch). */
export interface BatchSource {
  /** Batches in one pass over the split (drop_last = false → ceil; the official loaders keep the last partial batch). */
  readonly batchesPerEpoch: number;
  readonly size: number;
  next(): Batch;
}

/** What a search consumes: the bilevel train/valid halves (and a held-out test split for evaluation). */
export interface SearchData {
  train: BatchSource;
  valid: BatchSource;
  test?: BatchSource;
  numClasses: number;
  channels: number;
  imageSize: number;
  name: string;
  synthetic: boolean;
}

/** What one load produced: a training set, an optional held-out test set, notes for the user. */
export interface LoadedData {
  train: ImageDataset;
  test?: ImageDataset;
  /** e.g. "skipped 3 files that are not PNG/JPEG images: notes.txt, …" */
  notes: string[];
}
