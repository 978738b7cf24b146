/**
 * The dataset in use. Every way of changing it (files, built-in, synthetic) goes through
 * use(): the new data replaces the current one only when it decoded and validated; any
 * failure returns a message and leaves the previous dataset in place.
 */
import type { LoadedData } from './types';
import type { NamedBytes } from './archive';
import { DataError, DEFAULT_LIMITS, type Limits } from './errors';
import { checked, decodeFiles, type DecodeOptions } from './decode';

export type LoadResult = { ok: true; dataset: LoadedData } | { ok: false; error: string };

export class DatasetStore {
  private data: LoadedData | undefined;
  private readonly limits: Limits;

  constructor(initial?: LoadedData, limits: Partial<Limits> = {}) {
    this.data = initial;
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  get current(): LoadedData | undefined {
    return this.data;
  }

  /** Decode uploaded / read files (see decodeFiles for the formats). */
  load(files: NamedBytes[], opts: DecodeOptions = {}): Promise<LoadResult> {
    const what = files.map((f) => f.name).join(', ') || 'the files';
    return this.use(what, () => decodeFiles(files, { ...opts, limits: opts.limits ?? this.limits }));
  }

  /** Switch to data from any producer, e.g. () => loadBuiltin('mnist') or () => syntheticData(). */
  async use(what: string, produce: () => LoadedData | Promise<LoadedData>): Promise<LoadResult> {
    try {
      const data = checked(await produce());
      this.data = data;
      return { ok: true, dataset: data };
    } catch (e) {
      // a DataError says what is wrong; anything else (out of memory, a bug) at least says which input
      const error = e instanceof DataError ? e.message : `Could not load ${what}: ${e instanceof Error ? e.message : String(e)}.`;
      return { ok: false, error };
    }
  }
}
