/** Node-only: an NB201 table from a file path (CLI and tests; the browser never imports this). */
import { readFile, stat } from 'node:fs/promises';
import { MAX_TABLE_BYTES } from './nb201-load';
import { parseNb201Table, TableError, type Nb201Table } from './nb201-table';

export const DEFAULT_NB201_PATH = '../shared/data/nb201/nb201_200ep_test_acc.csv';

export async function loadNb201File(file: string): Promise<Nb201Table> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new TableError(`NB201 table ${file}: no such file (or it cannot be read)`);
  }
  if (size > MAX_TABLE_BYTES) throw new TableError(`NB201 table ${file}: ${size} bytes is larger than ${MAX_TABLE_BYTES} (is it the right file?)`);
  return parseNb201Table(await readFile(file, 'utf8'), file);
}
