/** Node-only helpers shared by the eval CLIs: data by --dataset spec, seed lists. */
import type { RunConfig } from '../core/config';
import { Rng } from '../core/rng';
import { makeSearchData } from '../data/pipeline';
import { loadDatasetSpec } from '../data/resolve';
import type { ImageDataset, SearchData } from '../data/types';

/** Loads the dataset once; each seed gets its own split and shuffles, as `npm run search -- --seed S`. */
export async function searchDataFactory(cfg: RunConfig): Promise<{ makeData: (seed: number) => SearchData; train: ImageDataset; test?: ImageDataset; notes: string[] }> {
  const loaded = await loadDatasetSpec(cfg.dataset, { imageSize: cfg.imageSize, seed: cfg.seed });
  const makeData = (seed: number) =>
    makeSearchData(loaded.train, loaded.test, { imageSize: cfg.imageSize, batch: cfg.batch, limit: cfg.limit, augment: cfg.augment }, new Rng(seed).fork());
  return { makeData, train: loaded.train, test: loaded.test, notes: loaded.notes };
}

/** "0,1,2,3" or "0-3" → [0, 1, 2, 3]; throws on anything else. */
export function parseSeeds(s: string): number[] {
  const out: number[] = [];
  for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`--seeds: '${part}' is not a seed or a range (expected e.g. 0,1,2,3 or 0-3)`);
    const a = Number(m[1]), b = m[2] === undefined ? a : Number(m[2]);
    if (b < a || b - a > 1000) throw new Error(`--seeds: bad range '${part}'`);
    for (let k = a; k <= b; k++) out.push(k);
  }
  if (out.length === 0) throw new Error('--seeds: expected at least one seed');
  if (new Set(out).size !== out.length) throw new Error(`--seeds: '${s}' repeats a seed`);
  return out;
}

/** Progress on stderr: a rewritten status line on a terminal, at most one line a minute in a log file; `line` always prints. */
export function stderrStatus(quiet: boolean, everyS = 60): { status(s: string): void; line(s: string): void } {
  const tty = process.stderr.isTTY === true;
  let open = false;
  let last = performance.now();
  return {
    status(s) {
      if (quiet) return;
      if (!tty) {
        if (performance.now() - last < everyS * 1000) return;
        last = performance.now();
        process.stderr.write(`${s.trim()}\n`);
        return;
      }
      process.stderr.write(`\r\x1b[K${s}`);
      open = true;
    },
    line(s) {
      if (quiet) return;
      last = performance.now();
      process.stderr.write(`${open ? '\r\x1b[K' : ''}${s}\n`);
      open = false;
    },
  };
}
