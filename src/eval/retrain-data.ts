/**
 * Data for retraining a derived cell: the whole training set (up to `limit`) for training and
 * the held-out test set for the reported accuracy (no train/valid halves). Train batches are
 * reshuffled every epoch, optionally with crop+flip and Cutout (DARTS utils.Cutout, applied
 * after normalization: the square becomes 0); test batches come in file order.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng';
import { ArrayBatchSource } from '../data/batches';
import { DataError } from '../data/errors';
import { channelStats, gather, normalize, selectIndices } from '../data/pipeline';
import type { Batch, BatchSource, ImageDataset } from '../data/types';

export interface RetrainDataOptions {
  imageSize: number;
  batch: number;
  /** Training images (0 = all). */
  limit: number;
  /** Test images (0 = all). */
  testLimit: number;
  /** Random crop-with-padding + horizontal flip on training batches. */
  augment: boolean;
  /** Cutout side in pixels (0 = off; DARTS uses 16 at 32×32). */
  cutout: number;
  /** Fraction of the training set held out as the test set when the dataset has none (default 0.2). */
  holdout?: number;
}

export interface RetrainData {
  train: BatchSource;
  test: BatchSource;
  numClasses: number;
  channels: number;
  imageSize: number;
  name: string;
  notes: string[];
}

export function makeRetrainData(train: ImageDataset, test: ImageDataset | undefined, o: RetrainDataOptions, rng: Rng): RetrainData {
  const remap = Int32Array.from({ length: train.numClasses }, (_, k) => k);
  const notes: string[] = [];
  let trainIdx = selectIndices(train, remap, 0);
  let testSet = test;
  let testIdx = test ? selectIndices(test, remap, 0) : new Int32Array(0);
  if (!test) {
    const perm = rng.permutation(trainIdx.length);
    const nTest = Math.max(1, Math.floor((o.holdout ?? 0.2) * trainIdx.length));
    if (trainIdx.length - nTest < 1) throw new DataError(`${train.name}: too few images to hold out a test set.`);
    const shuffled = Int32Array.from(perm, (p) => trainIdx[p]);
    testIdx = shuffled.slice(0, nTest);
    trainIdx = shuffled.slice(nTest);
    testSet = train;
    notes.push(`${train.name} has no test set: ${nTest} training images are held out as the test set`);
  }
  if (o.limit > 0) trainIdx = trainIdx.slice(0, o.limit);
  if (o.testLimit > 0) testIdx = testIdx.slice(0, o.testLimit);
  if (trainIdx.length === 0 || testIdx.length === 0) throw new DataError(`${train.name}: no images left for training or testing.`);
  const S = o.imageSize, C = train.channels;
  const tr = gather(train, trainIdx, remap, S);
  const te = gather(testSet!, testIdx, remap, S);
  const { mean, std } = channelStats(tr.x, C);
  normalize(tr.x, mean, std);
  normalize(te.x, mean, std);
  const padValue = Float32Array.from(mean, (m, c) => -m / std[c]);
  const source = new ArrayBatchSource(tr.x, tr.y, S, C, { batch: o.batch, rng: new Rng(rng.seed()), augment: o.augment ? { padValue } : undefined });
  return {
    train: o.cutout > 0 ? new CutoutSource(source, S, C, o.cutout, new Rng(rng.seed())) : source,
    test: new ArrayBatchSource(te.x, te.y, S, C, { batch: o.batch }),
    numClasses: train.numClasses, channels: C, imageSize: S, name: train.name, notes,
  };
}

/** Zeroes one length×length square per image, centred uniformly (clipped at the borders), as DARTS's Cutout. */
export function cutoutInto(x: Float32Array, n: number, side: number, channels: number, length: number, rng: Rng): void {
  const px = side * side * channels;
  const half = Math.floor(length / 2);
  for (let i = 0; i < n; i++) {
    const cy = rng.int(side), cx = rng.int(side);
    const y1 = Math.max(0, cy - half), y2 = Math.min(side, cy + half);
    const x1 = Math.max(0, cx - half), x2 = Math.min(side, cx + half);
    for (let y = y1; y < y2; y++) x.fill(0, i * px + (y * side + x1) * channels, i * px + (y * side + x2) * channels);
  }
}

class CutoutSource implements BatchSource {
  readonly batchesPerEpoch: number;
  readonly size: number;
  constructor(private src: ArrayBatchSource, private side: number, private channels: number, private length: number, private rng: Rng) {
    this.batchesPerEpoch = src.batchesPerEpoch;
    this.size = src.size;
  }
  next(): Batch {
    const { x, y, n } = this.src.nextArrays();
    cutoutInto(x, n, this.side, this.channels, this.length, this.rng);
    return { x: tf.tensor4d(x, [n, this.side, this.side, this.channels]), y: tf.tensor1d(y, 'int32') };
  }
}
