/**
 * Wall-time estimate of a multi-seed run before it starts: a throwaway search per method runs
 * one warm-up step and `probeSteps` timed steps. Λ-DARTS is probed at full λ (no ramp) so its
 * two extra passes per weight step are counted (its real first epoch, at λ_e = 0, is cheaper).
 */
import type { Method, RunConfig } from '../core/config';
import { Search } from '../core/search';
import type { SearchData } from '../data/types';

export interface WallEstimate {
  /** Seconds per step, per method. */
  perStep: Partial<Record<Method, number>>;
  stepsPerRun: number;
  runs: number;
  totalS: number;
  /** Seconds the probe itself took. */
  probeS: number;
}

/** `data` is consumed (its batch streams advance): pass a throwaway instance. */
export async function estimateWallTime(o: { methods: Method[]; seeds: number[]; config: Partial<RunConfig>; data: SearchData; probeSteps?: number; maxSteps?: number }): Promise<WallEstimate> {
  const t0 = performance.now();
  const probe = Math.max(1, o.probeSteps ?? 1);
  const perStep: Partial<Record<Method, number>> = {};
  let stepsPerRun = 0;
  for (const method of o.methods) {
    const s = new Search({ ...o.config, method, seed: o.seeds[0] ?? 0, lambdaRamp: false }, o.data);
    try {
      stepsPerRun = o.maxSteps && o.maxSteps > 0 ? Math.min(o.maxSteps, s.totalSteps) : s.totalSteps;
      await s.step();
      const t = performance.now();
      for (let i = 0; i < probe; i++) await s.step();
      perStep[method] = (performance.now() - t) / 1000 / probe;
    } finally {
      s.dispose();
    }
  }
  const perSeed = o.methods.reduce((a, m) => a + (perStep[m] ?? 0), 0) * stepsPerRun;
  return { perStep, stepsPerRun, runs: o.methods.length * o.seeds.length, totalS: perSeed * o.seeds.length, probeS: (performance.now() - t0) / 1000 };
}
