import { describe, expect, it } from 'vitest';
import { deriveDarts, deriveNb201, dartsToString, nb201ToString, parseDarts, parseNb201, skipCount, parameterFreeCount } from '../../src/core/genotype';
import { makeSpace, dartsEdges } from '../../src/core/spaces';
import type { AlphaSpec } from '../../src/core/network';

const nbSpec: AlphaSpec = { name: 'arch_parameters', type: 'normal', ops: makeSpace('nb201').normal, numEdges: 6, numOps: 5 };
const oneHot = (E: number, K: number, pick: number[]) => Float32Array.from({ length: E * K }, (_, i) => (pick[Math.floor(i / K)] === i % K ? 1 : 0));

describe('NAS-Bench-201 genotypes', () => {
  it('derives argmax per edge, including none, and writes the arch string', () => {
    // ops: none, skip, conv1x1, conv3x3, avgpool
    const g = deriveNb201(oneHot(6, 5, [3, 3, 3, 1, 3, 2]), nbSpec);
    expect(nb201ToString(g)).toBe('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|');
    expect(nb201ToString(deriveNb201(oneHot(6, 5, [0, 1, 0, 4, 0, 0]), nbSpec))).toBe('|none~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|none~1|none~2|');
  });
  it('breaks ties toward the first op (torch.argmax)', () => {
    expect(deriveNb201(new Float32Array(30), nbSpec)).toEqual(Array(6).fill('none'));
  });
  it('round-trips arch strings', () => {
    const s = '|skip_connect~0|+|skip_connect~0|nor_conv_1x1~1|+|nor_conv_3x3~0|nor_conv_1x1~1|avg_pool_3x3~2|';
    expect(nb201ToString(parseNb201(s))).toBe(s);
    expect(() => parseNb201('|skip_connect~0|+|skip_connect~0|')).toThrow(/3 groups/);
    expect(() => parseNb201('|skip_connect~1|+|a~0|b~1|+|c~0|d~1|e~2|')).toThrow(/bad input/);
  });
  it('counts skips and parameter-free edges', () => {
    const g = { kind: 'nb201' as const, ops: parseNb201('|skip_connect~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_3x3~2|') };
    expect(skipCount(g)).toBe(3);
    expect(parameterFreeCount(g)).toBe(5);
  });
});

describe('DARTS genotypes', () => {
  const s5 = makeSpace('s5');
  const spec = (ops: typeof s5.normal, type: 'normal' | 'reduce'): AlphaSpec => ({ name: `alphas_${type}`, type, ops, numEdges: 14, numOps: ops[0].length });
  const darts8 = makeSpace('darts');

  it('keeps the two strongest inputs per node and the best non-none op', () => {
    const K = 8;
    const w = new Float32Array(14 * K).fill(0.01);
    const set = (e: number, k: number, v: number) => (w[e * K + k] = v);
    // ops: none, max, avg, skip, sep3, sep5, dil3, dil5
    // node 2 (rows 0,1): both inputs kept; row 0 has a huge 'none' that must be ignored
    set(0, 0, 0.9); set(0, 4, 0.3); set(1, 3, 0.5);
    // node 3 (rows 2,3,4): inputs 2 and 0 strongest
    set(2, 5, 0.4); set(3, 1, 0.1); set(4, 6, 0.6);
    // node 4 (rows 5..8): inputs 3 and 1
    set(6, 7, 0.5); set(8, 2, 0.7); set(5, 0, 0.99);
    // node 5 (rows 9..13): inputs 4 and 0 (tie at 0.3 between inputs 0 and 2 → lower index wins)
    set(9, 4, 0.3); set(11, 5, 0.3); set(13, 3, 0.8);
    const sp = spec(darts8.normal, 'normal');
    const g = deriveDarts(w, w, [sp, { ...sp, name: 'alphas_reduce', type: 'reduce' }], 4, 4);
    // strongest input first, as the official _parse appends them
    expect(g.normal).toEqual([
      ['skip_connect', 1], ['sep_conv_3x3', 0],
      ['dil_conv_3x3', 2], ['sep_conv_5x5', 0],
      ['avg_pool_3x3', 3], ['dil_conv_5x5', 1],
      ['skip_connect', 4], ['sep_conv_3x3', 0],
    ]);
    expect(g.normal_concat).toEqual([2, 3, 4, 5]);
    expect(skipCount({ kind: 'darts', genotype: g })).toBe(2);
  });

  it('writes and parses Genotype(...) text, also the official range() form', () => {
    const g = deriveDarts(new Float32Array(98).map((_, i) => (i * 7919) % 13), new Float32Array(98).map((_, i) => (i * 104729) % 11), [spec(s5.normal, 'normal'), spec(s5.reduce, 'reduce')], 4, 4);
    const txt = dartsToString(g);
    expect(txt).toMatch(/^Genotype\(normal=\[\('[a-z_0-9]+', \d\), /);
    expect(parseDarts(txt)).toEqual(g);
    const official = txt.replace(/normal_concat=\[2, 3, 4, 5\]/, 'normal_concat=range(2, 6)').replace(/reduce_concat=\[2, 3, 4, 5\]/, 'reduce_concat=range(2, 6)');
    expect(official).toContain('range(2, 6)');
    expect(parseDarts(official)).toEqual(g);
    expect(() => parseDarts('normal=[]')).toThrow(/Genotype/);
  });

  it('has 14 edges for 4 steps, in the official row order', () => {
    expect(dartsEdges(4).slice(0, 5)).toEqual([[2, 0], [2, 1], [3, 0], [3, 1], [3, 2]]);
    expect(dartsEdges(4)).toHaveLength(14);
  });
});
