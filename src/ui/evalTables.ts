/**
 * Pure helpers of the evaluation panel: default retraining options for a race, the NB201 scores of
 * multi-seed rows from the page's own table (the worker never sees the table), and the exports.
 * No React, no tfjs (seed-table.ts imports only types from the search code).
 */
import type { RunConfig } from '../core/config';
import type { SeedRow } from '../eval/multiseed';
import type { Nb201Table } from '../eval/nb201-lookup';
import { formatMarkdown, METHOD_LABELS, summarize } from '../eval/seed-table';
import type { RetrainJobOptions } from '../worker/eval-protocol';
import { nb201Entry } from './nb201';

/**
 * Small enough to finish in minutes in a browser: NB201 C=8, N=1, 3 epochs (the CLI's recipe:
 * lr 0.1, Nesterov, cosine per step); DARTS network C=8, 5 cells, 2 epochs (lr 0.025). Images: the
 * race's size, and as many training images as the search saw (both halves), at most 2,000.
 */
export function retrainOptionDefaults(cfg: Pick<RunConfig, 'space' | 'imageSize' | 'limit'>): RetrainJobOptions {
  const seen = cfg.limit > 0 ? 2 * cfg.limit : 2000;
  const common = { imageSize: cfg.imageSize, testLimit: 1000, augment: false, cutout: 0, dropPath: 0, auxiliary: false, N: 1, layers: 5, C: 8 };
  return cfg.space === 'nb201'
    ? { ...common, epochs: 3, batch: 64, lr: 0.1, limit: Math.min(seen, 2000) }
    : { ...common, epochs: 2, batch: 32, lr: 0.025, limit: Math.min(seen, 1000), testLimit: 500 };
}

/** Rows with the NB201 scores of their final cells from `table` (null for other spaces / no table). */
export function withNb201(rows: SeedRow[], table: Nb201Table | null, space: string): SeedRow[] {
  if (!table || space !== 'nb201') return rows;
  return rows.map((r) => {
    const e = nb201Entry(table, r.arch);
    return { ...r, nb201: e ? { index: e.index, exact: e.exact, cifar10: e.cifar10, cifar100: e.cifar100, imagenet16: e.imagenet16 } : null };
  });
}

/** The paper's table as markdown (the CLI's `multiseed` format). */
export function seedMarkdown(rows: SeedRow[], o: { space: string; epochs: number; dataset: string | null }): string {
  const m = rows[0]?.method;
  return formatMarkdown(rows, `${m ? METHOD_LABELS[m] : 'multi-seed'} on ${o.space}, ${rows.length} seeds, ${o.epochs} epochs${o.dataset ? ` (${o.dataset})` : ''}`);
}

/** The CLI's `multiseed --json` shape: {config, seeds, table, rows, summary, wallS}. */
export function seedJson(rows: SeedRow[], config: RunConfig, table: Nb201Table | null, wallS: number | null = null): string {
  return JSON.stringify({ config, seeds: rows.map((r) => r.seed), table: table?.source ?? null, rows, summary: summarize(rows), wallS }, null, 1);
}
