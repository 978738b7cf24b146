/**
 * Dataset → SearchData: class subset, per-class cap, seeded train/valid split (halves of the
 * shuffled training set by default), resize to imageSize (float32 NHWC, computed once),
 * per-channel normalization with train-split statistics, then batch sources.
 */
import { Rng } from '../core/rng';
import type { ImageDataset, SearchData } from './types';
import { ArrayBatchSource } from './batches';
import { DataError, fmtInt } from './errors';
import { resizeImage } from './resize';

export interface PipelineOptions {
  /** Side of the square images fed to the supernet. */
  imageSize: number;
  batch: number;
  /** Images per split (train half, valid half; also caps the test split); 0 = all. */
  limit: number;
  /** Random crop-with-padding + horizontal flip on train and valid batches (official DARTS augments both halves). */
  augment: boolean;
  /** Class subset (original label ids); relabelled 0..k-1 in this order. */
  classes?: number[];
  /** Keep at most this many training images per class (first in file order), before the split. */
  perClassCap?: number;
  /** Fraction of the training set that becomes the valid split (default 0.5 = official halves). */
  validFraction?: number;
}

export const DEFAULT_PIPELINE: PipelineOptions = { imageSize: 16, batch: 64, limit: 2000, augment: false, validFraction: 0.5 };

export interface PipelineData extends SearchData {
  /** Per-channel mean / std of the train split on the 0..1 scale (applied to every split). */
  mean: number[];
  std: number[];
  classNames?: string[];
}

export function makeSearchData(train: ImageDataset, test: ImageDataset | undefined, opts: PipelineOptions, rng: Rng): PipelineData {
  const o = { ...DEFAULT_PIPELINE, ...opts };
  const vf = o.validFraction ?? 0.5;
  if (!Number.isInteger(o.imageSize) || o.imageSize < 1) throw new DataError(`imageSize ${o.imageSize}: expected a positive integer.`);
  if (!Number.isInteger(o.batch) || o.batch < 1) throw new DataError(`batch ${o.batch}: expected a positive integer.`);
  if (!(vf > 0 && vf < 1)) throw new DataError(`validFraction ${vf}: expected a number strictly between 0 and 1.`);
  const classes = o.classes ?? Array.from({ length: train.numClasses }, (_, k) => k);
  if (classes.length < 2 || new Set(classes).size !== classes.length || classes.some((k) => !(k >= 0 && k < train.numClasses))) {
    throw new DataError(`classes [${classes.join(',')}]: expected at least two distinct class ids in 0–${train.numClasses - 1}.`);
  }
  if (test && test.channels !== train.channels) {
    throw new DataError(`${test.name} has ${test.channels} channels but ${train.name} has ${train.channels}: expected the same.`);
  }
  const remap = new Int32Array(train.numClasses).fill(-1);
  classes.forEach((k, i) => (remap[k] = i));

  const pool = selectIndices(train, remap, o.perClassCap ?? 0);
  if (pool.length < 2) throw new DataError(`${train.name}: ${pool.length} images left after the class subset and cap; the split needs at least 2.`);
  const perm = rng.permutation(pool.length);
  const shuffled = Int32Array.from(perm, (p) => pool[p]);
  const cut = Math.min(pool.length - 1, Math.max(1, Math.floor((1 - vf) * pool.length)));
  const cap = (a: Int32Array) => (o.limit > 0 ? a.subarray(0, o.limit) : a);
  const trainIdx = cap(shuffled.subarray(0, cut));
  const validIdx = cap(shuffled.subarray(cut));
  const testIdx = test ? cap(selectIndices(test, remap, 0)) : undefined;

  const S = o.imageSize, C = train.channels;
  const tr = gather(train, trainIdx, remap, S);
  const va = gather(train, validIdx, remap, S);
  const te = test && testIdx && testIdx.length ? gather(test, testIdx, remap, S) : undefined;
  const { mean, std } = channelStats(tr.x, C);
  for (const s of [tr, va, te]) if (s) normalize(s.x, mean, std);
  const padValue = Float32Array.from(mean, (m, c) => -m / std[c]);
  const aug = o.augment ? { padValue } : undefined;
  return {
    train: new ArrayBatchSource(tr.x, tr.y, S, C, { batch: o.batch, rng: new Rng(rng.seed()), augment: aug }),
    valid: new ArrayBatchSource(va.x, va.y, S, C, { batch: o.batch, rng: new Rng(rng.seed()), augment: aug }),
    test: te ? new ArrayBatchSource(te.x, te.y, S, C, { batch: o.batch }) : undefined,
    numClasses: classes.length, channels: C, imageSize: S,
    name: train.name, synthetic: !!train.synthetic, mean, std,
    classNames: train.classNames && classes.map((k) => train.classNames![k]),
  };
}

/** Indices (file order) whose class is in the subset, at most `cap` per class (0 = no cap). */
export function selectIndices(ds: ImageDataset, remap: Int32Array, cap: number): Int32Array {
  const seen = new Int32Array(remap.length);
  const out: number[] = [];
  for (let i = 0; i < ds.labels.length; i++) {
    const k = ds.labels[i];
    if (k >= remap.length || remap[k] < 0 || (cap > 0 && seen[k] >= cap)) continue;
    seen[k]++;
    out.push(i);
  }
  return Int32Array.from(out);
}

/** Resized float32 NHWC on the 0..1 scale, and remapped labels, of the chosen images. */
export function gather(ds: ImageDataset, idx: Int32Array, remap: Int32Array, S: number): { x: Float32Array; y: Int32Array } {
  const { height: h, width: w, channels: c } = ds;
  const px = S * S * c;
  const x = new Float32Array(idx.length * px);
  const y = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    resizeImage(ds.images, idx[i] * h * w * c, h, w, c, x, i * px, S, S);
    y[i] = remap[ds.labels[idx[i]]];
  }
  for (let i = 0; i < x.length; i++) x[i] /= 255;
  return { x, y };
}

/** Per-channel mean and population std of NHWC values (std floored at 1e-6). */
export function channelStats(x: Float32Array, c: number): { mean: number[]; std: number[] } {
  const sum = new Float64Array(c), sq = new Float64Array(c);
  for (let i = 0; i < x.length; i++) {
    sum[i % c] += x[i];
    sq[i % c] += x[i] * x[i];
  }
  const n = x.length / c;
  const mean = Array.from(sum, (s) => s / n);
  const std = Array.from(sq, (s, k) => Math.max(1e-6, Math.sqrt(Math.max(0, s / n - mean[k] * mean[k]))));
  return { mean, std };
}

export function normalize(x: Float32Array, mean: number[], std: number[]): void {
  const c = mean.length;
  for (let i = 0; i < x.length; i++) x[i] = (x[i] - mean[i % c]) / std[i % c];
}

export function describeSplit(d: SearchData): string {
  return `${d.name}: train ${fmtInt(d.train.size)}, valid ${fmtInt(d.valid.size)}, test ${fmtInt(d.test?.size ?? 0)}`;
}
