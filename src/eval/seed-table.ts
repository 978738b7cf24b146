/** Mean ± std summaries of multi-seed rows, the markdown table, and the reproduce JSON records. */
import type { Method } from '../core/config';
import type { SeedRow } from './multiseed';

export interface MeanStd {
  mean: number;
  /** Population standard deviation (numpy's default, ddof = 0). */
  std: number;
  n: number;
}

export interface MethodSummary {
  method: Method;
  seeds: number;
  /** Over the seeds whose genotype the NB201 table knows; null when none. */
  cifar10: MeanStd | null;
  cifar100: MeanStd | null;
  imagenet16: MeanStd | null;
  skipCount: MeanStd;
  finalTrainCorr: MeanStd;
  wallS: MeanStd;
}

export const METHOD_LABELS: Record<Method, string> = { darts: 'DARTS', darts2: 'DARTS (2nd order)', lambda: 'Λ-DARTS' };

export function meanStd(xs: number[]): MeanStd {
  const v = xs.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { mean: NaN, std: NaN, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / n), n };
}

/** One summary per method, in order of first appearance. */
export function summarize(rows: SeedRow[]): MethodSummary[] {
  const methods = [...new Set(rows.map((r) => r.method))];
  return methods.map((method) => {
    const rs = rows.filter((r) => r.method === method);
    const scored = rs.filter((r) => r.nb201);
    const nb = (k: 'cifar10' | 'cifar100' | 'imagenet16') => (scored.length ? meanStd(scored.map((r) => r.nb201![k])) : null);
    return {
      method, seeds: rs.length, cifar10: nb('cifar10'), cifar100: nb('cifar100'), imagenet16: nb('imagenet16'),
      skipCount: meanStd(rs.map((r) => r.skipCount)), finalTrainCorr: meanStd(rs.map((r) => r.finalTrainCorr)), wallS: meanStd(rs.map((r) => r.wallS)),
    };
  });
}

const fix = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const pm = (m: MeanStd | null, d: number) => (m && m.n ? `${fix(m.mean, d)} ± ${fix(m.std, d)}` : '—');
/** Markdown-safe cell: pipes escaped (NB201 arch strings are full of them). */
const cell = (s: string) => s.replace(/\|/g, '\\|');

export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return '—';
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.round(s / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Per-seed rows then the mean ± std per method (NB201 accuracies in %). */
export function formatMarkdown(rows: SeedRow[], title?: string): string {
  const out: string[] = [];
  if (title) out.push(`### ${title}`, '');
  out.push('| method | seed | genotype | CIFAR-10 | CIFAR-100 | ImageNet16-120 | skips | final Λ | wall |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const nb = r.nb201;
    const note = r.nonFinite ? ` (stopped: ${r.nonFinite} not finite)` : nb && !nb.exact ? ' (isomorphic cell)' : '';
    out.push(`| ${METHOD_LABELS[r.method]} | ${r.seed} | ${r.arch ? `\`${cell(r.arch)}\`` : '—'}${note} | ${nb ? fix(nb.cifar10, 2) : '—'} | ${nb ? fix(nb.cifar100, 2) : '—'} | ${nb ? fix(nb.imagenet16, 2) : '—'} | ${r.skipCount} | ${fix(r.finalTrainCorr, 3)} | ${formatDuration(r.wallS)} |`);
  }
  out.push('', '| method | seeds | CIFAR-10 | CIFAR-100 | ImageNet16-120 | skips | final Λ | wall per seed |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const s of summarize(rows)) {
    out.push(`| ${METHOD_LABELS[s.method]} | ${s.seeds} | ${pm(s.cifar10, 2)} | ${pm(s.cifar100, 2)} | ${pm(s.imagenet16, 2)} | ${pm(s.skipCount, 1)} | ${pm(s.finalTrainCorr, 3)} | ${formatDuration(s.wallS.mean)} |`);
  }
  return out.join('\n') + '\n';
}

/** The `npm run reproduce -- --json` record. */
export interface ReproduceRecord {
  method: Method;
  seed: number;
  arch: string;
  nb201_cifar10_test: number | null;
  skip_count: number;
  final_train_corr: number | null;
  wall_s: number;
}

export function reproduceRecords(rows: SeedRow[]): ReproduceRecord[] {
  return rows.map((r) => ({
    method: r.method, seed: r.seed, arch: r.arch, nb201_cifar10_test: r.nb201?.cifar10 ?? null, skip_count: r.skipCount,
    final_train_corr: Number.isFinite(r.finalTrainCorr) ? r.finalTrainCorr : null, wall_s: Math.round(r.wallS * 1000) / 1000,
  }));
}
