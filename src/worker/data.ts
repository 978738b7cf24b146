/**
 * The worker's datasets: the built-in CIFAR-10 and MNIST files (public/data, made by
 * scripts/build-data.ts), generated gratings, or the last upload (decoded here; a failed upload
 * keeps the previous one). `config.dataset` names the source: 'cifar10' | 'mnist' | 'synthetic' | 'upload:NAMES'.
 * Browser-safe imports only (src/data/node.ts and resolve.ts use node:fs).
 */
import type { RunConfig } from '../core/config';
import { Rng } from '../core/rng';
import { BUILTIN_NAMES, loadBuiltin, type BuiltinName } from '../data/builtin';
import { makeSearchData, type PipelineData } from '../data/pipeline';
import { DatasetStore } from '../data/store';
import { syntheticData } from '../data/synthetic';
import type { LoadedData } from '../data/types';
import type { UploadFile } from './protocol';

export interface RawData {
  raw: LoadedData;
  /** Why the dataset differs from the one asked for, or ''. */
  note: string;
}

const builtin = new Map<string, LoadedData>();
const uploads = new DatasetStore();
let uploadNames = '';

/** 'upload:a.bin,b.bin' for the current upload. */
export function uploadSpec(): string {
  return `upload:${uploadNames}`;
}

/** Decodes uploaded files; on failure the previous upload (and the running data) stay. */
export async function decodeUpload(files: UploadFile[]): Promise<{ ok: true; name: string; notes: string[]; spec: string } | { ok: false; error: string }> {
  const r = await uploads.load(files.map((f) => ({ name: f.name, bytes: new Uint8Array(f.buffer) })));
  if (!r.ok) return r;
  uploadNames = files.map((f) => f.name).join(',');
  return { ok: true, name: r.dataset.train.name, notes: r.dataset.notes, spec: uploadSpec() };
}

function synthetic(cfg: RunConfig): LoadedData {
  const count = Math.max(2 * (cfg.limit || 1000), 64);
  return syntheticData({ count, size: cfg.imageSize, classes: 10, channels: 3, seed: cfg.seed });
}

const BUILTIN_LABEL: Record<BuiltinName, string> = { cifar10: 'CIFAR-10', mnist: 'MNIST' };

/** The images behind `cfg.dataset`, falling back to the built-in CIFAR-10 / synthetic with a note. */
export async function loadRaw(cfg: RunConfig, baseUrl: string): Promise<RawData> {
  const spec = cfg.dataset;
  if (spec === 'synthetic') return { raw: synthetic(cfg), note: '' };
  let note = '';
  let name: BuiltinName = 'cifar10';
  if (spec.startsWith('upload:')) {
    const want = spec.slice('upload:'.length);
    if (uploads.current && want === uploadNames) return { raw: uploads.current, note: '' };
    note = `this link's run used uploaded files (${want || 'none named'}): upload them to reproduce it; meanwhile the built-in CIFAR-10 runs`;
  } else if ((BUILTIN_NAMES as readonly string[]).includes(spec)) {
    name = spec as BuiltinName;
  } else {
    note = `dataset '${spec}' cannot be read in the browser (upload the files instead); using the built-in CIFAR-10`;
  }
  const hit = builtin.get(name);
  if (hit) return { raw: hit, note };
  try {
    const raw = await loadBuiltin(name, undefined, `${baseUrl}data/`);
    builtin.set(name, raw);
    return { raw, note };
  } catch (e) {
    return { raw: synthetic(cfg), note: `built-in ${BUILTIN_LABEL[name]} unavailable (${(e as Error).message}); using synthetic data` };
  }
}

/**
 * Train/valid halves for `cfg`, split with the run's seed. Every run of a race gets its own
 * SearchData from the same images and seed, so all runs see identical batches in identical order.
 */
export function searchDataFor(raw: LoadedData, cfg: RunConfig): PipelineData {
  return makeSearchData(raw.train, raw.test, { imageSize: cfg.imageSize, batch: cfg.batch, limit: cfg.limit, augment: cfg.augment }, new Rng(cfg.seed));
}
