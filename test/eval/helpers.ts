import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Rng } from '../../src/core/rng';
import { makeSynthetic } from '../../src/data/synthetic';
import { makeRetrainData, type RetrainData } from '../../src/eval/retrain-data';

export const ROOT = resolve(__dirname, '../..');
export const SHARED = resolve(__dirname, '../../../shared');
export const NB201_CSV = resolve(SHARED, 'data/nb201/nb201_200ep_test_acc.csv');
export const NB201_12EP_CSV = resolve(SHARED, 'data/nb201/nb201_12ep_val_test_acc.csv');

let csv: string | null = null;
/** The 200-epoch table's text, read once per test file. */
export function nb201Text(): string {
  return (csv ??= readFileSync(NB201_CSV, 'utf8'));
}

export async function useCpu() {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Synthetic train/test images (size×size, `classes` gratings) as retraining data. */
export function tinyRetrainData(seed = 0, o: { size?: number; count?: number; test?: number; batch?: number; classes?: number; augment?: boolean; cutout?: number } = {}): RetrainData {
  const size = o.size ?? 8, classes = o.classes ?? 4;
  const rng = new Rng(1000 + seed);
  const train = makeSynthetic(o.count ?? 32, { size, classes, channels: 3, noise: 20 }, rng, 'train');
  const test = makeSynthetic(o.test ?? 16, { size, classes, channels: 3, noise: 20 }, rng, 'test');
  return makeRetrainData(train, test, { imageSize: size, batch: o.batch ?? 8, limit: 0, testLimit: 0, augment: o.augment ?? false, cutout: o.cutout ?? 0 }, new Rng(seed));
}

export const DARTS_V2 =
  "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], " +
  "reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";

export const ALL_SKIP = '|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|';
export const BEST_C10 = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|';
