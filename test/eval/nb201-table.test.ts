import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { allArchs, canonicalArch, parseArch, uniqueString } from '../../src/eval/nb201-arch';
import { Nb201Table, type Nb201Columns } from '../../src/eval/nb201-lookup';
import { loadNb201File } from '../../src/eval/nb201-node';
import { parseNb201Table, splitCsvLine, TableError } from '../../src/eval/nb201-table';
import { loadNb201Url } from '../../src/eval/nb201-load';
import { ALL_SKIP, BEST_C10, NB201_12EP_CSV, NB201_CSV, nb201Text } from './helpers';

let table: Nb201Table;
beforeAll(() => {
  table = parseNb201Table(nb201Text(), 'nb201_200ep_test_acc.csv');
});

describe('NB201 200-epoch table', () => {
  it('reproduces the README’s verified entries', () => {
    const cases: [number, string | null, number, number, number][] = [
      [6111, BEST_C10, 94.3733, 73.22, 46.71],
      [9930, '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|', 94.3633, 73.5133, 46.3444],
      [857, '|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|', 93.99, 72.88, 47.3111],
      [1835, ALL_SKIP, 54.2967, 15.6067, 16.3222],
      [1462, null, 93.76, 71.11, 41.44],
      [7581, null, 49.02, 10.2, 9.35],
      [1651, '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|', 10.0, 1.0, 0.83],
      [11472, '|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|', 93.91, 70.89, 44.23],
    ];
    for (const [index, arch, c10, c100, im] of cases) {
      const e = table.entry(index);
      if (arch) expect(table.lookup(arch)).toMatchObject({ index, exact: true });
      expect(e.cifar10).toBeCloseTo(c10, 2);
      expect(e.cifar100).toBeCloseTo(c100, 2);
      expect(e.imagenet16).toBeCloseTo(im, 2);
    }
    expect(table.entry(1462).arch).toBe('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|');
    expect(table.entry(7581).arch).toBe('|avg_pool_3x3~0|+|avg_pool_3x3~0|avg_pool_3x3~1|+|avg_pool_3x3~0|avg_pool_3x3~1|avg_pool_3x3~2|');
  });

  it('best cells, column maxima, dataset-wide stats and ranks', () => {
    expect(table.bestCells('cifar10', 2).map((e) => e.index)).toEqual([6111, 13714]);
    expect(table.bestCells('cifar100', 1)[0].index).toBe(9930);
    expect(table.bestCells('imagenet16', 1)[0].index).toBe(857);
    const s = table.stats('cifar10');
    expect(s.count).toBe(15625);
    expect(s.max).toBeCloseTo(94.3733, 3);
    expect(s.min).toBe(10);
    expect(s.mean).toBeCloseTo(87.06, 2);
    expect(s.median).toBeCloseTo(90.74, 1);
    expect(table.stats('cifar100').max).toBeCloseTo(73.5133, 3);
    expect(table.stats('imagenet16').max).toBeCloseTo(47.3111, 3);
    expect(table.rank(table.entry(6111).cifar10)).toBe(1);
    expect(table.rank(table.entry(9930).cifar10)).toBe(3);
    expect(table.rank(table.entry(1835).cifar10)).toBeGreaterThan(15000);
    expect(table.accuracy(ALL_SKIP, 'cifar100')).toBeCloseTo(15.6067, 3);
  });

  it('computes NATS-Bench’s UniqueString itself: the parser checks it on all 15,625 rows; 6,466 classes', () => {
    // parseNb201Table throws unless uniqueString(arch) equals the UniqueString column on every row
    expect(table.classCount).toBe(6466);
    const lines = nb201Text().trim().split('\n').slice(1);
    let same = 0;
    for (const l of lines) {
      const f = l.split(',');
      if (uniqueString(f[3]) === f[4]) same++;
    }
    expect(same).toBe(15625);
    // the full space enumerated independently of the table groups into the same 6,466 classes
    const archs = allArchs();
    expect(new Set(archs).size).toBe(15625);
    expect(new Set(archs.map((a) => uniqueString(a))).size).toBe(6466);
    expect(archs.every((a) => table.lookup(a)?.exact === true)).toBe(true);
  });

  it('cells whose output never sees the input are exactly the 341 chance-level cells', () => {
    const disconnected = Array.from({ length: 15625 }, (_, i) => table.entry(i)).filter((e) => !e.unique.includes('0'));
    expect(disconnected).toHaveLength(341);
    expect(disconnected.every((e) => e.cifar10 === 10)).toBe(true);
  });

  it('a cell with a dead-end node maps to its isomorphism class', () => {
    // node 1 feeds only 'none' edges: its conv is dead, the cell computes the identity (skip 0→3)
    const dead = '|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|';
    expect(uniqueString(dead)).toBe('#+#+0');
    expect(uniqueString('|avg_pool_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|')).toBe('#+#+0');
    const cls = table.classOf(dead)!;
    expect(cls.unique).toBe('#+#+0');
    expect(cls.members).toHaveLength(250);
    expect(cls.members.filter((m) => m.exact).map((m) => m.arch)).toEqual([dead]);
    for (const m of cls.members) expect(m.cifar10).toBeGreaterThan(86), expect(m.cifar10).toBeLessThan(87.2);
    expect(cls.mean.cifar10).toBeCloseTo(86.563, 2);
    // isomorphic cells that are not the same string
    expect(uniqueString('|nor_conv_1x1~0|+|nor_conv_3x3~0|skip_connect~1|+|skip_connect~0|none~1|skip_connect~2|'))
      .toBe(uniqueString('|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|skip_connect~0|none~1|skip_connect~2|'));
  });

  it('lookup falls back to an isomorphic row when the arch’s own row is absent', () => {
    const dead = '|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|';
    const own = table.lookup(dead)!;
    const keep = Array.from({ length: 15625 }, (_, i) => i).filter((i) => i !== own.index);
    const pick = (f: (i: number) => number) => Float64Array.from(keep, f);
    const cols: Nb201Columns = {
      layout: '200ep', epochs: 200, arch: keep.map((i) => table.entry(i).arch), unique: keep.map((i) => table.entry(i).unique),
      test: { cifar10: pick((i) => table.entry(i).cifar10), cifar100: pick((i) => table.entry(i).cifar100), imagenet16: pick((i) => table.entry(i).imagenet16) },
    };
    const partial = new Nb201Table(cols);
    const hit = partial.lookup(dead)!;
    expect(hit.exact).toBe(false);
    expect(hit.unique).toBe('#+#+0');
    expect(hit.arch).not.toBe(dead);
    expect(partial.lookup(BEST_C10)!.exact).toBe(true);
  });

  it('lookup accepts any input order in a group, and gives null for non-NB201 strings', () => {
    const shuffled = '|nor_conv_3x3~0|+|nor_conv_3x3~1|nor_conv_3x3~0|+|nor_conv_1x1~2|nor_conv_3x3~1|skip_connect~0|';
    expect(table.lookup(shuffled)).toMatchObject({ index: 6111, exact: true });
    expect(canonicalArch(shuffled)).toBe(BEST_C10);
    expect(table.lookup("Genotype(normal=[('sep_conv_3x3', 0)], normal_concat=[2], reduce=[], reduce_concat=[])")).toBeNull();
    expect(table.lookup('|sep_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|')).toBeNull();
    expect(table.accuracy('garbage')).toBeNull();
  });

  it('arch strings are parsed strictly', () => {
    expect(parseArch(ALL_SKIP)).toEqual(Array(6).fill('skip_connect'));
    expect(() => parseArch('|skip_connect~0|+|skip_connect~0|skip_connect~1|')).toThrow(/3 groups/);
    expect(() => parseArch('|skip_connect~0|+|skip_connect~0|+|skip_connect~0|skip_connect~1|skip_connect~2|')).toThrow(/node 2 must have 2 input/);
    expect(() => parseArch('|skip_connect~0|+|skip_connect~0|skip_connect~0|+|skip_connect~0|skip_connect~1|skip_connect~2|')).toThrow(/twice/);
    expect(() => parseArch('|skip_connect~1|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|')).toThrow(/node 1 cannot take input 1/);
    expect(() => parseArch('|conv~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|')).toThrow(/unknown op 'conv'/);
  });

  it('loads by path (Node) and by URL (fetch)', async () => {
    const t = await loadNb201File(NB201_CSV);
    expect(t.entry(1835).cifar10).toBeCloseTo(54.2967, 3);
    await expect(loadNb201File('/no/such/table.csv')).rejects.toThrow(/no such file/);
    const fake = (async (url: string) => (url.endsWith('ok.csv') ? new Response(nb201Text()) : new Response('nope', { status: 404, statusText: 'Not Found' }))) as typeof fetch;
    expect((await loadNb201Url('https://x/ok.csv', fake)).source).toBe('https://x/ok.csv');
    await expect(loadNb201Url('https://x/missing.csv', fake)).rejects.toThrow(/HTTP 404 Not Found/);
  });
});

describe('NB201 12-epoch table', () => {
  it('parses the other layout, with valid accuracies and computed unique strings', () => {
    const t = parseNb201Table(readFileSync(NB201_12EP_CSV, 'utf8'));
    expect(t.layout).toBe('12ep');
    expect(t.epochs).toBe(12);
    expect(t.entry(0).cifar10).toBe(69.55);
    expect(t.entry(0).valid!.cifar10).toBeCloseTo(63.364, 3);
    expect(t.bestCells('cifar10', 1)[0].cifar10).toBe(89.16);
    expect(t.lookup(ALL_SKIP)!.cifar10).toBe(36.84);
    expect(t.classCount).toBe(6466);
    expect(t.entry(4321).arch).toBe(table.entry(4321).arch); // same row order as the 200-epoch file
  });
});

describe('malformed tables', () => {
  const lines = () => nb201Text().trim().split('\n');
  const parse = (ls: string[]) => parseNb201Table(ls.join('\n'), 'bad.csv');
  const err = (ls: string[]): TableError => {
    try {
      parse(ls);
    } catch (e) {
      expect(e).toBeInstanceOf(TableError);
      return e as TableError;
    }
    throw new Error('expected a TableError');
  };
  const setField = (ls: string[], line: number, col: number, v: string) => {
    const f = ls[line - 1].split(',');
    f[col] = v;
    ls[line - 1] = f.join(',');
    return ls;
  };

  it('empty text', () => {
    expect(() => parseNb201Table('  \n')).toThrow(/empty/);
  });

  it('missing columns are named', () => {
    const ls = lines().map((l) => l.split(',').slice(0, 4).join(','));
    const e = err(ls);
    expect(e.message).toMatch(/missing column UniqueString/);
    expect(e.column).toBe('UniqueString');
    const renamed = lines();
    renamed[0] = renamed[0].replace('CIFAR100TestAccuracy200Epochs', 'C100');
    expect(err(renamed).message).toMatch(/missing column CIFAR100TestAccuracy200Epochs.*found: CIFAR10TestAccuracy200Epochs,C100/);
    expect(err(['a,b,c', '1,2,3']).message).toMatch(/missing columns/);
  });

  it('wrong row count', () => {
    expect(err(lines().slice(0, -1)).message).toMatch(/15,624 data rows: expected 15,625/);
    expect(err([...lines(), lines()[5]]).message).toMatch(/15,626 data rows/);
  });

  it('non-numeric and out-of-range accuracies name the line and column', () => {
    const a = err(setField(lines(), 101, 0, 'abc'));
    expect(a.message).toMatch(/line 101 \(cell 99\), column CIFAR10TestAccuracy200Epochs: 'abc' is not a number/);
    expect(a.line).toBe(101);
    expect(err(setField(lines(), 3, 1, '')).message).toMatch(/column CIFAR100TestAccuracy200Epochs: '' is not a number/);
    expect(err(setField(lines(), 15626, 2, '101.5')).message).toMatch(/line 15626 \(cell 15624\), column ImageNetTestAccuracy200Epochs: 101.5 is outside 0–100/);
    expect(err(setField(lines(), 7, 0, '-1')).message).toMatch(/-1 is outside 0–100/);
    expect(err(setField(lines(), 7, 0, 'NaN')).message).toMatch(/'NaN' is not a number/);
  });

  it('bad arch strings, duplicates, wrong unique strings and short rows', () => {
    expect(err(setField(lines(), 50, 3, '|foo~0|+|none~0|none~1|+|none~0|none~1|none~2|')).message).toMatch(/line 50 \(cell 48\), column ArchitectureString: .*unknown op 'foo'/);
    const dup = lines();
    dup[1836] = dup[10]; // cell 1835 becomes a copy of cell 9
    expect(err(dup).message).toMatch(/line 1837 \(cell 1835\), column ArchitectureString: arch .* already appears on line 11 \(cell 9\)/);
    expect(err(setField(lines(), 2, 4, '#')).message).toMatch(/line 2 \(cell 0\), column UniqueString: '#' is not the canonical form/);
    const short = lines();
    short[20] = short[20].split(',').slice(0, 3).join(',');
    expect(err(short).message).toMatch(/line 21 \(cell 19\): expected 5 fields, found 3/);
  });

  it('12-epoch layout: the index column must follow the row order', () => {
    const ls = readFileSync(NB201_12EP_CSV, 'utf8').trim().split('\n');
    ls[5] = ls[5].replace(/^4,/, '7,');
    expect(err(ls).message).toMatch(/line 6 \(cell 4\), column index: expected index 4, found '7'/);
  });

  it('quoted CSV fields are read', () => {
    expect(splitCsvLine('1,"a,b","c""d"')).toEqual(['1', 'a,b', 'c"d']);
  });
});
