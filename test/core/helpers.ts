import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Rng } from '../../src/core/rng';
import { makeSearchData } from '../../src/data/pipeline';
import { makeSynthetic } from '../../src/data/synthetic';
import type { SearchData } from '../../src/data/types';

export const SHARED = resolve(__dirname, '../../../shared');
export const FIXTURES = resolve(SHARED, 'fixtures/lambda-step');

export function loadFixture(name: string) {
  return JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8'));
}

export async function useCpu() {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** A tiny synthetic SearchData (size×size, `count` images in each half). */
export function tinyData(seed = 0, size = 8, count = 16, batch = 4, classes = 4): SearchData {
  const rng = new Rng(seed);
  const ds = makeSynthetic(2 * count, { size, classes, channels: 3, seed }, rng);
  return makeSearchData(ds, undefined, { imageSize: size, batch, limit: count, augment: false }, rng);
}
