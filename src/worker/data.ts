/**
 * The demo's data: the built-in MNIST files (public/data, made by scripts/build-data.ts) or, when
 * they cannot be fetched, generated gratings, and says which one and why.
 * Browser-safe imports only (src/data/node.ts and resolve.ts use node:fs).
 */
import type { RunConfig } from '../core/config';
import { Rng } from '../core/rng';
import { loadBuiltin } from '../data/builtin';
import { makeSearchData, type PipelineData } from '../data/pipeline';
import { syntheticData } from '../data/synthetic';
import type { LoadedData } from '../data/types';
import type { DatasetChoice } from './protocol';

export interface DemoData {
  data: PipelineData;
  /** Why the dataset differs from the one asked for, or ''. */
  note: string;
}

const cache = new Map<string, LoadedData>();

async function loadRaw(choice: DatasetChoice, cfg: RunConfig, baseUrl: string): Promise<{ raw: LoadedData; note: string }> {
  if (choice === 'mnist') {
    const hit = cache.get('mnist');
    if (hit) return { raw: hit, note: '' };
    try {
      const raw = await loadBuiltin('mnist', undefined, `${baseUrl}data/`);
      cache.set('mnist', raw);
      return { raw, note: '' };
    } catch (e) {
      const note = `built-in MNIST unavailable (${(e as Error).message}); using synthetic data`;
      return { raw: synthetic(cfg), note };
    }
  }
  return { raw: synthetic(cfg), note: '' };
}

function synthetic(cfg: RunConfig): LoadedData {
  const count = Math.max(2 * (cfg.limit || 1000), 64);
  return syntheticData({ count, size: cfg.imageSize, classes: 10, channels: 3, seed: cfg.seed });
}

/** Train/valid halves for `cfg` (image size, batch, limit, augment), split with the run's seed. */
export async function loadDemoData(choice: DatasetChoice, cfg: RunConfig, baseUrl: string): Promise<DemoData> {
  const { raw, note } = await loadRaw(choice, cfg, baseUrl);
  const data = makeSearchData(raw.train, raw.test, { imageSize: cfg.imageSize, batch: cfg.batch, limit: cfg.limit, augment: cfg.augment }, new Rng(cfg.seed));
  return { data, note };
}
