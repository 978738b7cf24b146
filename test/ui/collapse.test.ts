import { describe, expect, it } from 'vitest';
import { collapseVerdict, meanMaxP } from '../../src/ui/collapse';

describe('collapse indicator', () => {
  it('says what a newcomer needs: level, count and trend', () => {
    expect(collapseVerdict({ skipCount: 0, paramFreeCount: 1, edges: 6, skipBefore: 0 })).toMatchObject({ level: 'healthy', text: 'Healthy: 0 of 6 edges are skip_connect; 1 parameter-free in all.' });
    expect(collapseVerdict({ skipCount: 1, paramFreeCount: 1, edges: 6, skipBefore: 0 })).toMatchObject({ level: 'drifting', trend: 'up', text: 'Drifting: 1 of 6 edges is skip_connect (up from 0 an epoch ago).' });
    expect(collapseVerdict({ skipCount: 4, paramFreeCount: 5, edges: 6, skipBefore: 2 }).text).toBe('Collapsing: 4 of 6 edges are skip_connect (up from 2 an epoch ago); 5 parameter-free in all.');
    expect(collapseVerdict({ skipCount: 6, paramFreeCount: 6, edges: 6, skipBefore: 6 })).toMatchObject({ level: 'collapsed', trend: 'flat' });
    expect(collapseVerdict({ skipCount: 2, paramFreeCount: 8, edges: 8, skipBefore: NaN })).toMatchObject({ level: 'collapsed', trend: 'unknown' });
    expect(collapseVerdict({ skipCount: 1, paramFreeCount: 4, edges: 6, skipBefore: 1 }).level).toBe('drifting');
    // near-uniform α: the argmax is noise, whatever the counts say
    const u = collapseVerdict({ skipCount: 5, paramFreeCount: 5, edges: 8, skipBefore: NaN, meanMaxP: 0.334, ops: 3 });
    expect(u.level).toBe('undecided');
    expect(u.text).toMatch(/close to uniform \(mean max p 0.33, uniform 0.33\)/);
    expect(collapseVerdict({ skipCount: 5, paramFreeCount: 5, edges: 8, skipBefore: NaN, meanMaxP: 0.4, ops: 3 }).level).toBe('collapsing');
    expect(meanMaxP([0.1, 0.9, 0.5, 0.5, 0, 0], 2, 2)).toBeCloseTo(0.7);
  });
});
