/**
 * A run's per-step history in columns of typed arrays that grow by doubling: scalars in one
 * Float64Array (row-major, SCALAR_KEYS), each vector metric (softmax, ‖g^ℓ‖, votes, cosines) in
 * its own Float32Array, genotype strings in an array. The worker appends StepMetrics; snapshots
 * carry only new rows (HistoryRows, transferable); the page appends them to its own copy.
 * Pure: no tf, no DOM.
 */
import type { StepMetrics } from '../core/search';

export const SCALAR_KEYS = [
  'step', 'epoch', 'trainLoss', 'trainAcc', 'validLoss', 'validAcc', 'trainCorr', 'validCorr', 'epsilon',
  'lambdaE', 'lr', 'archLr', 'regRatio', 'skipCount', 'paramFreeCount', 'ms',
] as const;
export type ScalarKey = (typeof SCALAR_KEYS)[number];
const S = SCALAR_KEYS.length;
const SCALAR_INDEX = Object.fromEntries(SCALAR_KEYS.map((k, i) => [k, i])) as Record<ScalarKey, number>;

export const VECTOR_KEYS = ['softmax', 'gradTrain', 'gradValid', 'votes', 'cosTrain', 'cosValid'] as const;
export type VectorKey = (typeof VECTOR_KEYS)[number];

/** Width of each vector metric per row: softmax Σ E·K over α, ‖g^ℓ‖ nMix, votes nMix·E·K, cos Lr². */
export type HistoryWidths = Record<VectorKey, number>;

/** A block of consecutive rows, as sent from the worker (buffers transferable). */
export interface HistoryRows {
  /** Index of the first row in the run's history (the page truncates to it before appending). */
  from: number;
  count: number;
  scalars: Float64Array;
  vectors: Record<VectorKey, Float32Array>;
  genotypes: string[];
}

export class History {
  length = 0;
  private cap: number;
  private scalars: Float64Array;
  private vectors: Record<VectorKey, Float32Array>;
  private genotypes: string[] = [];

  constructor(readonly widths: HistoryWidths, capacity = 64) {
    this.cap = Math.max(1, capacity);
    this.scalars = new Float64Array(this.cap * S);
    this.vectors = Object.fromEntries(VECTOR_KEYS.map((k) => [k, new Float32Array(this.cap * widths[k])])) as Record<VectorKey, Float32Array>;
  }

  get capacity(): number {
    return this.cap;
  }

  private reserve(n: number): void {
    if (n <= this.cap) return;
    let cap = this.cap;
    while (cap < n) cap *= 2;
    const grow = <T extends Float32Array | Float64Array>(old: T, w: number, make: (len: number) => T): T => {
      const a = make(cap * w);
      a.set(old.subarray(0, this.length * w));
      return a;
    };
    this.scalars = grow(this.scalars, S, (n) => new Float64Array(n));
    for (const k of VECTOR_KEYS) this.vectors[k] = grow(this.vectors[k], this.widths[k], (n) => new Float32Array(n));
    this.cap = cap;
  }

  /** Appends one step's metrics (vectors must have this history's widths). */
  appendMetrics(m: StepMetrics): void {
    this.reserve(this.length + 1);
    const i = this.length;
    const rec = m as unknown as Record<string, number>;
    for (let k = 0; k < S; k++) this.scalars[i * S + k] = rec[SCALAR_KEYS[k]] ?? NaN;
    const src: Record<VectorKey, ArrayLike<number>[]> = {
      softmax: m.softmax, gradTrain: [m.cellGradNormsTrain], gradValid: [m.cellGradNormsValid],
      votes: [m.votes], cosTrain: [m.cosTrain], cosValid: [m.cosValid],
    };
    for (const k of VECTOR_KEYS) {
      const w = this.widths[k];
      const dst = this.vectors[k];
      let o = i * w;
      for (const part of src[k]) {
        const n = Math.min(part.length, i * w + w - o);
        for (let j = 0; j < n; j++) dst[o + j] = part[j];
        o += n;
      }
      dst.fill(NaN, o, i * w + w); // a missing metric (e.g. no regularized cells) reads as NaN
    }
    this.genotypes[i] = m.genotype;
    this.length++;
  }

  /** Copies rows [from, to) into a block (fresh buffers, safe to transfer). */
  rows(from: number, to = this.length): HistoryRows {
    const a = Math.max(0, Math.min(from, this.length)), b = Math.max(a, Math.min(to, this.length));
    return {
      from: a, count: b - a,
      scalars: this.scalars.slice(a * S, b * S),
      vectors: Object.fromEntries(VECTOR_KEYS.map((k) => [k, this.vectors[k].slice(a * this.widths[k], b * this.widths[k])])) as Record<VectorKey, Float32Array>,
      genotypes: this.genotypes.slice(a, b),
    };
  }

  /** Truncates to `rows.from`, then appends the block. */
  appendRows(r: HistoryRows): void {
    this.truncate(r.from);
    if (r.from > this.length) throw new Error(`history gap: have ${this.length} rows, block starts at ${r.from}`);
    this.reserve(this.length + r.count);
    this.scalars.set(r.scalars.subarray(0, r.count * S), this.length * S);
    for (const k of VECTOR_KEYS) {
      const w = this.widths[k];
      if (r.vectors[k].length !== r.count * w) throw new Error(`history block: ${k} has ${r.vectors[k].length} values, expected ${r.count * w}`);
      this.vectors[k].set(r.vectors[k], this.length * w);
    }
    for (let j = 0; j < r.count; j++) this.genotypes[this.length + j] = r.genotypes[j];
    this.length += r.count;
  }

  truncate(n: number): void {
    if (n >= this.length) return;
    this.length = Math.max(0, n);
    this.genotypes.length = this.length;
  }

  get(key: ScalarKey, row: number): number {
    return row >= 0 && row < this.length ? this.scalars[row * S + SCALAR_INDEX[key]] : NaN;
  }

  /** One scalar column for rows [0, n) (n defaults to the length). */
  column(key: ScalarKey, n = this.length): Float64Array {
    const out = new Float64Array(Math.min(n, this.length));
    const c = SCALAR_INDEX[key];
    for (let i = 0; i < out.length; i++) out[i] = this.scalars[i * S + c];
    return out;
  }

  /** A view of one row of a vector metric (valid until the next append). */
  vector(key: VectorKey, row: number): Float32Array {
    const w = this.widths[key];
    return this.vectors[key].subarray(row * w, row * w + w);
  }

  /** The backing array of a vector metric: row i at [i·width, (i+1)·width), valid for i < length. */
  data(key: VectorKey): Float32Array {
    return this.vectors[key];
  }

  /** Element `j` of a vector metric for rows [0, n). */
  vectorColumn(key: VectorKey, j: number, n = this.length): Float32Array {
    const w = this.widths[key];
    const out = new Float32Array(Math.min(n, this.length));
    for (let i = 0; i < out.length; i++) out[i] = this.vectors[key][i * w + j];
    return out;
  }

  genotype(row: number): string {
    return this.genotypes[row] ?? '';
  }

  /** Buffers of a block, for postMessage's transfer list. */
  static transferables(r: HistoryRows): ArrayBuffer[] {
    return [r.scalars.buffer, ...VECTOR_KEYS.map((k) => r.vectors[k].buffer)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
  }
}

/** Scalar index of a key (for callers reading a HistoryRows block directly). */
export function scalarIndex(key: ScalarKey): number {
  return SCALAR_INDEX[key];
}
export const SCALAR_COUNT = S;
