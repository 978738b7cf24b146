/**
 * A parsed NAS-Bench-201 accuracy table (15,625 cells in the benchmark's index order):
 * lookup by arch string with a fallback to the cell's isomorphism class, the best cells,
 * ranks and dataset-wide statistics. Built by `parseNb201Table` (nb201-table.ts).
 */
import { nb201ToString, type Nb201Genotype } from '../core/genotype';
import { parseArch, uniqueString } from './nb201-arch';

export type Nb201Dataset = 'cifar10' | 'cifar100' | 'imagenet16';
export const NB201_DATASETS: readonly Nb201Dataset[] = ['cifar10', 'cifar100', 'imagenet16'];
export const NB201_DATASET_LABELS: Record<Nb201Dataset, string> = { cifar10: 'CIFAR-10', cifar100: 'CIFAR-100', imagenet16: 'ImageNet16-120' };
export const NB201_SIZE = 15625;

/** One cell's row. `exact` is false when the arch itself was not found and an isomorphic cell answered. */
export interface Nb201Entry {
  index: number;
  arch: string;
  unique: string;
  /** Test accuracy in %, per dataset. */
  cifar10: number;
  cifar100: number;
  imagenet16: number;
  /** Validation accuracy in % (12-epoch layout only). */
  valid?: Record<Nb201Dataset, number>;
  exact: boolean;
}

export interface Nb201Columns {
  /** '200ep' = nb201_200ep_test_acc.csv layout, '12ep' = nb201_12ep_val_test_acc.csv layout. */
  layout: '200ep' | '12ep';
  /** Training epochs behind the numbers (200 = the final NB201 numbers). */
  epochs: number;
  arch: string[];
  unique: string[];
  test: Record<Nb201Dataset, Float64Array>;
  valid?: Record<Nb201Dataset, Float64Array>;
}

export interface Nb201Stats {
  count: number;
  mean: number;
  median: number;
  std: number;
  min: number;
  max: number;
}

export interface Nb201Class {
  unique: string;
  members: Nb201Entry[];
  /** Mean test accuracy over the class's members (they were trained separately). */
  mean: Record<Nb201Dataset, number>;
}

export class Nb201Table {
  readonly size: number;
  readonly layout: '200ep' | '12ep';
  readonly epochs: number;
  /** Number of isomorphism classes (6,466 for the full space). */
  readonly classCount: number;
  private byArch = new Map<string, number>();
  private byUnique = new Map<string, number[]>();
  private sorted = new Map<Nb201Dataset, Float64Array>();

  constructor(private readonly cols: Nb201Columns, readonly source = '') {
    this.size = cols.arch.length;
    this.layout = cols.layout;
    this.epochs = cols.epochs;
    cols.arch.forEach((a, i) => this.byArch.set(a, i));
    cols.unique.forEach((u, i) => {
      const m = this.byUnique.get(u);
      if (m) m.push(i);
      else this.byUnique.set(u, [i]);
    });
    this.classCount = this.byUnique.size;
  }

  /** The row at a benchmark index. */
  entry(index: number, exact = true): Nb201Entry {
    if (!(Number.isInteger(index) && index >= 0 && index < this.size)) throw new RangeError(`NB201 index ${index} is outside 0–${this.size - 1}`);
    const c = this.cols;
    const e: Nb201Entry = {
      index, arch: c.arch[index], unique: c.unique[index], exact,
      cifar10: c.test.cifar10[index], cifar100: c.test.cifar100[index], imagenet16: c.test.imagenet16[index],
    };
    if (c.valid) e.valid = { cifar10: c.valid.cifar10[index], cifar100: c.valid.cifar100[index], imagenet16: c.valid.imagenet16[index] };
    return e;
  }

  /**
   * The row of an arch string (any input order within a group), else the first row of its
   * isomorphism class (`exact: false`), else null. Strings that are not NB201 arch strings
   * (e.g. a DARTS Genotype(...)) give null.
   */
  lookup(arch: string | Nb201Genotype): Nb201Entry | null {
    const ops = this.ops(arch);
    if (!ops) return null;
    const i = this.byArch.get(nb201ToString(ops));
    if (i !== undefined) return this.entry(i, true);
    const members = this.byUnique.get(uniqueString(ops));
    return members ? this.entry(members[0], false) : null;
  }

  /** Test accuracy (%) of an arch on one dataset, or null (not an NB201 arch / not found). */
  accuracy(arch: string | Nb201Genotype, dataset: Nb201Dataset = 'cifar10'): number | null {
    const e = this.lookup(arch);
    return e ? e[dataset] : null;
  }

  /** Every cell isomorphic to `arch` (same unique string), or null. */
  classOf(arch: string | Nb201Genotype): Nb201Class | null {
    const ops = this.ops(arch);
    if (!ops) return null;
    const unique = uniqueString(ops);
    const idx = this.byUnique.get(unique);
    if (!idx) return null;
    const members = idx.map((i) => this.entry(i, this.cols.arch[i] === nb201ToString(ops)));
    const mean = (d: Nb201Dataset) => members.reduce((a, m) => a + m[d], 0) / members.length;
    return { unique, members, mean: { cifar10: mean('cifar10'), cifar100: mean('cifar100'), imagenet16: mean('imagenet16') } };
  }

  /** The k best cells on a dataset (ties: lower index first). */
  bestCells(dataset: Nb201Dataset = 'cifar10', k = 10): Nb201Entry[] {
    const v = this.cols.test[dataset];
    const idx = Array.from({ length: this.size }, (_, i) => i);
    idx.sort((a, b) => v[b] - v[a] || a - b);
    return idx.slice(0, k).map((i) => this.entry(i));
  }

  /** 1 + the number of cells with a strictly higher accuracy (1 = best). */
  rank(accuracy: number, dataset: Nb201Dataset = 'cifar10'): number {
    const s = this.sortedDesc(dataset);
    let lo = 0, hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid] > accuracy) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  }

  stats(dataset: Nb201Dataset = 'cifar10'): Nb201Stats {
    const s = this.sortedDesc(dataset);
    const n = s.length;
    let sum = 0, sq = 0;
    for (const x of s) sum += x;
    const mean = sum / n;
    for (const x of s) sq += (x - mean) ** 2;
    const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    return { count: n, mean, median, std: Math.sqrt(sq / n), min: s[n - 1], max: s[0] };
  }

  private sortedDesc(d: Nb201Dataset): Float64Array {
    let s = this.sorted.get(d);
    if (!s) {
      s = Float64Array.from(this.cols.test[d]).sort().reverse();
      this.sorted.set(d, s);
    }
    return s;
  }

  private ops(arch: string | Nb201Genotype): Nb201Genotype | null {
    if (typeof arch !== 'string') return arch;
    try {
      return parseArch(arch);
    } catch {
      return null;
    }
  }
}
