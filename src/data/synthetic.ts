/**
 * A small generated dataset, clearly labelled synthetic, for instant micro runs and tests.
 * Class k is a grating at angle π·k/K with its own spatial frequency and color, random phase,
 * jittered angle and Gaussian pixel noise: learnable, but not trivially so.
 */
import { Rng } from '../core/rng';
import type { ImageDataset, LoadedData } from './types';

export interface SyntheticOptions {
  /** Training images (default 2000). */
  count: number;
  /** Test images (default count / 4). */
  testCount?: number;
  /** Side in pixels (default 16). */
  size: number;
  classes: number;
  channels: number;
  /** Std of the pixel noise, on the 0..255 scale (default 40). */
  noise: number;
  seed: number;
}

export const DEFAULT_SYNTHETIC: SyntheticOptions = { count: 2000, size: 16, classes: 10, channels: 3, noise: 40, seed: 0 };

/** `count` images from `rng`, labels balanced (i mod K). */
export function makeSynthetic(count: number, opts: Partial<SyntheticOptions>, rng: Rng, split = 'train'): ImageDataset {
  const { size, classes, channels, noise } = { ...DEFAULT_SYNTHETIC, ...defined(opts) };
  const images = new Uint8Array(count * size * size * channels);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const k = i % classes;
    labels[i] = k;
    const theta = (Math.PI * k) / classes + rng.uniformRange(-0.1, 0.1);
    const freq = (1.5 + (k % 3) * 0.75) / size;
    const phase = rng.uniformRange(0, 2 * Math.PI);
    const cos = Math.cos(theta), sin = Math.sin(theta);
    const tint = Array.from({ length: channels }, (_, c) => (channels === 1 ? 1 : 0.5 + 0.5 * Math.cos((2 * Math.PI * (k + c)) / classes)));
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const wave = Math.cos(2 * Math.PI * freq * (x * cos + y * sin) + phase);
        for (let c = 0; c < channels; c++) {
          const v = 128 + 90 * wave * tint[c] + noise * rng.normal();
          images[((i * size + y) * size + x) * channels + c] = Math.max(0, Math.min(255, Math.round(v)));
        }
      }
  }
  return {
    name: `synthetic (${split}, ${count} images, ${size}×${size}×${channels}, ${classes} classes)`,
    images, labels, height: size, width: size, channels, numClasses: classes,
    classNames: Array.from({ length: classes }, (_, k) => `grating ${k}`), synthetic: true,
  };
}

/** Train and test sets from one seed. */
export function syntheticData(opts: Partial<SyntheticOptions> = {}): LoadedData {
  const o = { ...DEFAULT_SYNTHETIC, ...defined(opts) };
  const rng = new Rng(o.seed);
  const train = makeSynthetic(o.count, o, rng, 'train');
  const test = makeSynthetic(o.testCount ?? Math.max(o.classes, Math.floor(o.count / 4)), o, rng, 'test');
  return { train, test, notes: ['synthetic data: generated gratings, not real images'] };
}

/** Options without their undefined entries (so they do not override the defaults). */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
