/**
 * NAS-Bench-201 accuracy tables from CSV text (../shared/data/nb201/README.md):
 * - '200ep' layout: CIFAR10TestAccuracy200Epochs, CIFAR100TestAccuracy200Epochs,
 *   ImageNetTestAccuracy200Epochs, ArchitectureString, UniqueString (the final NB201 numbers);
 * - '12ep' layout: index, arch_str, cifar10_test, cifar10_valid, cifar100_test, cifar100_valid,
 *   imagenet16_test, imagenet16_valid (short-schedule numbers; unique strings computed here).
 * Every defect (missing column, row count ≠ 15,625, bad number, accuracy outside 0–100, bad arch,
 * duplicate arch, UniqueString that is not the arch's canonical form) throws a TableError naming
 * the line and column.
 */
import { ArchError, canonicalArch, uniqueString } from './nb201-arch';
import { NB201_DATASETS, NB201_SIZE, Nb201Table, type Nb201Columns, type Nb201Dataset } from './nb201-lookup';

export { Nb201Table } from './nb201-lookup';

export class TableError extends Error {
  constructor(message: string, readonly line?: number, readonly column?: string) {
    super(message);
    this.name = 'TableError';
  }
}

interface Layout {
  layout: '200ep' | '12ep';
  epochs: number;
  arch: string;
  unique?: string;
  index?: string;
  test: Record<Nb201Dataset, string>;
  valid?: Record<Nb201Dataset, string>;
}

const LAYOUTS: Layout[] = [
  {
    layout: '200ep', epochs: 200, arch: 'ArchitectureString', unique: 'UniqueString',
    test: { cifar10: 'CIFAR10TestAccuracy200Epochs', cifar100: 'CIFAR100TestAccuracy200Epochs', imagenet16: 'ImageNetTestAccuracy200Epochs' },
  },
  {
    layout: '12ep', epochs: 12, arch: 'arch_str', index: 'index',
    test: { cifar10: 'cifar10_test', cifar100: 'cifar100_test', imagenet16: 'imagenet16_test' },
    valid: { cifar10: 'cifar10_valid', cifar100: 'cifar100_valid', imagenet16: 'imagenet16_valid' },
  },
];

const columnsOf = (l: Layout) => [
  ...(l.index ? [l.index] : []), ...Object.values(l.test), ...(l.valid ? Object.values(l.valid) : []), l.arch, ...(l.unique ? [l.unique] : []),
];

/** One CSV line → fields (double-quoted fields with "" escapes allowed). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '', q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') out.push(cur), (cur = '');
    else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Parses and validates a whole table; `source` names it in the UI (file name or URL). */
export function parseNb201Table(text: string, source = ''): Nb201Table {
  const where = source ? ` (${source})` : '';
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw new TableError(`NB201 table${where} is empty: expected a CSV header and ${NB201_SIZE.toLocaleString('en-US')} rows`);
  const header = splitCsvLine(lines[0]).map((h) => h.trim());
  const lay = pickLayout(header, where);
  const col = (name: string) => header.indexOf(name);
  const rows = lines.length - 1;
  if (rows !== NB201_SIZE) {
    throw new TableError(`NB201 table${where} has ${rows.toLocaleString('en-US')} data rows: expected ${NB201_SIZE.toLocaleString('en-US')} (one per NAS-Bench-201 cell, in benchmark index order)`);
  }
  const arch: string[] = new Array(rows);
  const unique: string[] = new Array(rows);
  const mk = () => ({ cifar10: new Float64Array(rows), cifar100: new Float64Array(rows), imagenet16: new Float64Array(rows) });
  const test = mk();
  const valid = lay.valid ? mk() : undefined;
  const seen = new Map<string, number>();
  for (let r = 0; r < rows; r++) {
    const line = r + 2;
    const at = (c: string) => `NB201 table${where}, line ${line} (cell ${r}), column ${c}`;
    const f = splitCsvLine(lines[r + 1]);
    if (f.length !== header.length) throw new TableError(`NB201 table${where}, line ${line} (cell ${r}): expected ${header.length} fields, found ${f.length}`, line);
    if (lay.index) {
      const v = f[col(lay.index)].trim();
      if (v !== String(r)) throw new TableError(`${at(lay.index)}: expected index ${r}, found '${v}' (rows must be in benchmark index order)`, line, lay.index);
    }
    const num = (c: string) => {
      const raw = f[col(c)].trim();
      const v = Number(raw);
      if (raw === '' || !Number.isFinite(v)) throw new TableError(`${at(c)}: '${raw}' is not a number`, line, c);
      if (v < 0 || v > 100) throw new TableError(`${at(c)}: ${raw} is outside 0–100 (accuracies are percentages)`, line, c);
      return v;
    };
    for (const d of NB201_DATASETS) {
      test[d][r] = num(lay.test[d]);
      if (valid && lay.valid) valid[d][r] = num(lay.valid[d]);
    }
    const rawArch = f[col(lay.arch)].trim();
    let a: string;
    try {
      a = canonicalArch(rawArch);
    } catch (e) {
      throw new TableError(`${at(lay.arch)}: ${e instanceof ArchError ? e.message : String(e)}`, line, lay.arch);
    }
    const dup = seen.get(a);
    if (dup !== undefined) throw new TableError(`${at(lay.arch)}: arch ${a} already appears on line ${dup + 2} (cell ${dup}); every cell must appear once`, line, lay.arch);
    seen.set(a, r);
    arch[r] = a;
    unique[r] = uniqueString(a);
    if (lay.unique) {
      const u = f[col(lay.unique)].trim();
      if (u !== unique[r]) throw new TableError(`${at(lay.unique)}: '${u}' is not the canonical form of ${a} (expected '${unique[r]}')`, line, lay.unique);
    }
  }
  const cols: Nb201Columns = { layout: lay.layout, epochs: lay.epochs, arch, unique, test, valid };
  return new Nb201Table(cols, source);
}

function pickLayout(header: string[], where: string): Layout {
  const missing = LAYOUTS.map((l) => columnsOf(l).filter((c) => !header.includes(c)));
  const best = missing[0].length <= missing[1].length ? 0 : 1;
  if (missing[best].length === 0) {
    const dup = columnsOf(LAYOUTS[best]).find((c) => header.indexOf(c) !== header.lastIndexOf(c));
    if (dup) throw new TableError(`NB201 table${where}: column ${dup} appears twice in the header`, 1, dup);
    return LAYOUTS[best];
  }
  const l = LAYOUTS[best];
  throw new TableError(
    `NB201 table${where}: missing column${missing[best].length > 1 ? 's' : ''} ${missing[best].join(', ')}. ` +
      `Expected the ${l.layout === '200ep' ? '200-epoch' : '12-epoch'} layout: ${columnsOf(l).join(',')}; found: ${header.join(',') || '(empty header)'}`,
    1, missing[best][0],
  );
}
