/** Loading an NB201 table in the browser or a worker: by URL (the page's `nb201=` parameter) or from an uploaded File. */
import { parseNb201Table, TableError, type Nb201Table } from './nb201-table';

/** Larger than both known tables (≈3 MB), small enough to refuse a wrong file early. */
export const MAX_TABLE_BYTES = 32 << 20;

export async function loadNb201Url(url: string, fetchFn: typeof fetch = fetch): Promise<Nb201Table> {
  let res: Response;
  try {
    res = await fetchFn(url);
  } catch (e) {
    throw new TableError(`NB201 table ${url}: could not be fetched (${(e as Error).message ?? String(e)})`);
  }
  if (!res.ok) throw new TableError(`NB201 table ${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  const len = Number(res.headers.get('content-length') ?? 0);
  if (len > MAX_TABLE_BYTES) throw new TableError(`NB201 table ${url}: ${len} bytes is larger than ${MAX_TABLE_BYTES} (is it the right file?)`);
  return parseNb201Table(await res.text(), url);
}

/** From an uploaded file (anything with `name`, `size` and `text()`, e.g. a DOM File). */
export async function loadNb201Blob(file: { name: string; size: number; text(): Promise<string> }): Promise<Nb201Table> {
  if (file.size > MAX_TABLE_BYTES) throw new TableError(`NB201 table ${file.name}: ${file.size} bytes is larger than ${MAX_TABLE_BYTES} (is it the right file?)`);
  return parseNb201Table(await file.text(), file.name);
}
