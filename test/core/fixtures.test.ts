import { beforeAll, describe, expect, it } from 'vitest';
import { runFixtureStep } from '../../src/core/fixture';
import { compareFixture } from '../../src/core/compare';
import { loadFixture, useCpu } from './helpers';

// Golden fixtures from the official PyTorch code: one full Λ-DARTS step, every quantity at the
// README's recommended tolerances, on the tfjs CPU backend.
describe.each(['nb201-c4n1-seed0.json', 'darts-s5-c4l5-seed0.json'])('golden fixture %s (cpu)', (file) => {
  beforeAll(useCpu);
  it('matches every expected quantity', async () => {
    const fx = loadFixture(file);
    const out = await runFixtureStep(fx);
    const rows = compareFixture(out, fx);
    // every key of `expected` was produced and compared
    const compared = new Set(rows.map((r) => r.key.split('.')[0]));
    for (const k of Object.keys(fx.expected)) expect(compared.has(k), `missing ${k}`).toBe(true);
    const bad = rows.filter((r) => !r.ok).map((r) => `${r.key} ${r.metric}=${r.value} > ${r.tol}`);
    expect(bad).toEqual([]);
    expect(rows.length).toBeGreaterThan(25);
  });
});
