import { describe, expect, it } from 'vitest';
import { History, SCALAR_KEYS } from '../../src/worker/history';
import { fakeMetrics } from './helpers';

const widths = { softmax: 6, gradTrain: 3, gradValid: 3, votes: 18, cosTrain: 4, cosValid: 4 };

describe('History', () => {
  it('grows by doubling and keeps every row', () => {
    const h = new History(widths, 2);
    for (let i = 0; i < 9; i++) h.appendMetrics(fakeMetrics(i));
    expect(h.length).toBe(9);
    expect(h.capacity).toBe(16);
    expect(Array.from(h.column('step'))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(h.get('skipCount', 5)).toBe(2);
    expect(h.genotype(7)).toBe('g7');
    expect(Array.from(h.vector('softmax', 3))).toEqual(Array.from(new Float32Array([3, 3.01, 3.02, -3, -2.99, -2.98])));
    expect(h.vectorColumn('votes', 1, 3)).toEqual(Float32Array.from([0.01, 1.01, 2.01]));
    expect(h.get('trainLoss', 99)).toBeNaN();
    expect(SCALAR_KEYS).toContain('regRatio');
  });

  it('sends new rows as blocks that rebuild the same history, with transferable buffers', () => {
    const a = new History(widths), b = new History(widths);
    for (let i = 0; i < 5; i++) a.appendMetrics(fakeMetrics(i));
    b.appendRows(a.rows(0, 3));
    b.appendRows(a.rows(3));
    expect(b.length).toBe(5);
    expect(b.column('trainLoss')).toEqual(a.column('trainLoss'));
    expect(b.vector('cosValid', 4)).toEqual(a.vector('cosValid', 4));
    const block = a.rows(2);
    const bufs = History.transferables(block);
    expect(new Set(bufs).size).toBe(bufs.length);
    expect(bufs.length).toBe(7);
  });

  it('a block starting earlier truncates (a run rewound to its checkpoint)', () => {
    const a = new History(widths);
    for (let i = 0; i < 6; i++) a.appendMetrics(fakeMetrics(i));
    const b = new History(widths);
    b.appendRows(a.rows(0));
    a.truncate(2);
    a.appendMetrics(fakeMetrics(2, { genotype: 'again' }));
    b.appendRows(a.rows(2));
    expect(b.length).toBe(3);
    expect(b.genotype(2)).toBe('again');
    expect(() => b.appendRows({ ...a.rows(0), from: 10 })).toThrow(/gap/);
  });

  it('missing metrics read as NaN', () => {
    const h = new History(widths);
    h.appendMetrics(fakeMetrics(0, { cosTrain: new Float32Array(0) }));
    expect(Array.from(h.vector('cosTrain', 0)).every(Number.isNaN)).toBe(true);
  });
});
