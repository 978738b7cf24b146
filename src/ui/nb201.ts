/**
 * The NAS-Bench-201 ground-truth table in the page (the paper's figure 1): loaded once, by URL
 * (`nb201=<url>`) or from a file the user picks, parsed on the UI thread (one parse of ≈3 MB), and
 * looked up per step from the genotype strings already in each run's history. Never bundled.
 */
import { useSyncExternalStore } from 'react';
// the modules themselves, not eval/index.ts: that one pulls tfjs (retraining) into the UI bundle
import { loadNb201Blob, loadNb201Url } from '../eval/nb201-load';
import { NB201_DATASET_LABELS, type Nb201Dataset, type Nb201Entry, type Nb201Table } from '../eval/nb201-lookup';
import type { History } from '../worker/history';

export interface Nb201State {
  table: Nb201Table | null;
  /** URL or file name being loaded, null when idle. */
  loading: string | null;
  error: string | null;
  dataset: Nb201Dataset;
  /** Bumped on every change (chart redraw key). */
  version: number;
}

let state: Nb201State = { table: null, loading: null, error: null, dataset: 'cifar10', version: 0 };
const listeners = new Set<() => void>();
let cache = new Map<string, Nb201Entry | null>();
let seq = 0;

function set(p: Partial<Nb201State>): void {
  state = { ...state, ...p, version: state.version + 1 };
  for (const l of listeners) l();
}

export const nb201Store = {
  get: (): Nb201State => state,
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  setDataset(dataset: Nb201Dataset): void {
    set({ dataset });
  },
  /** Loads a table; on failure the previous table (if any) stays and the error is shown. */
  async load(source: string, get: () => Promise<Nb201Table>): Promise<void> {
    const id = ++seq;
    set({ loading: source, error: null });
    try {
      const table = await get();
      if (id !== seq) return;
      cache = new Map();
      set({ table, loading: null, error: null });
    } catch (e) {
      if (id !== seq) return;
      set({ loading: null, error: e instanceof Error ? e.message : String(e) });
    }
  },
  loadUrl(url: string): Promise<void> {
    return nb201Store.load(url, () => loadNb201Url(url));
  },
  loadFile(file: File): Promise<void> {
    return nb201Store.load(file.name, () => loadNb201Blob(file));
  },
};

export function useNb201(): Nb201State {
  return useSyncExternalStore(nb201Store.subscribe, nb201Store.get);
}

/** The table's row for a genotype (memoized per table); null for non-NB201 strings or no table. */
export function nb201Entry(table: Nb201Table | null, genotype: string): Nb201Entry | null {
  if (!table || !genotype) return null;
  let e = cache.get(genotype);
  if (e === undefined) {
    try {
      e = table.lookup(genotype);
    } catch {
      e = null;
    }
    cache.set(genotype, e);
  }
  return e;
}

/** Accuracy (%) per history row [0, n); NaN where there is no answer (a break in the line). */
export function nb201Column(h: History, n: number, table: Nb201Table | null, dataset: Nb201Dataset): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = nb201Entry(table, h.genotype(i));
    out[i] = e ? e[dataset] : NaN;
  }
  return out;
}

export const datasetLabel = (d: Nb201Dataset): string => NB201_DATASET_LABELS[d] ?? d;

/** "CIFAR-10 test 94.37% (NB201)", with the isomorphism class marked. */
export function accuracyText(e: Nb201Entry, dataset: Nb201Dataset): string {
  return `${datasetLabel(dataset)} test ${e[dataset].toFixed(2)}% (NB201${e.exact ? '' : ', isomorphic cell'})`;
}
