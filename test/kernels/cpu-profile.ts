/**
 * Measurement script (not a test): `npx tsx test/kernels/cpu-profile.ts [preset] [method] [fast|stock]`.
 * Per-kernel CPU time of one search step (process.cpuUsage around every registered 'cpu' kernel,
 * outermost calls only), which a busy machine distorts less than tf.profile's wall times.
 */
import * as tf from '@tensorflow/tfjs';
import { BENCH_PRESETS } from '../../src/core/bench';
import type { Method, RunConfig } from '../../src/core/config';
import { Search } from '../../src/core/search';
import { Rng } from '../../src/core/rng';
import { makeSynthetic } from '../../src/data/synthetic';
import { makeSearchData } from '../../src/data/pipeline';
import { installFastCpuKernels } from '../../src/core/kernels/cpu/index';
import { addKernelTime, profileTable, type KernelRow } from '../../src/core/kernels/profile';
import { currentPhase } from '../../src/core/phase';

async function main() {
  const [preset = 'demo', method = 'lambda', mode = 'fast'] = process.argv.slice(2);
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  if (mode === 'fast') installFastCpuKernels();
  const rows = new Map<string, KernelRow>();
  let depth = 0;
  for (const k of tf.getKernelsForBackend('cpu')) {
    const f = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, 'cpu');
    tf.registerKernel({ ...k, kernelFunc: (args) => {
      if (depth++ > 0) {
        try { return f(args); } finally { depth--; }
      }
      const c0 = process.cpuUsage();
      try { return f(args); } finally {
        depth--;
        const c = process.cpuUsage(c0);
        addKernelTime(rows, k.kernelName, currentPhase(), (c.user + c.system) / 1000);
      }
    } });
  }
  const cfg: Partial<RunConfig> = { ...BENCH_PRESETS[preset], method: method as Method, seed: 0, epochs: 50, lambda: 0.25, lambdaRamp: false };
  const rng = new Rng(0);
  const n = 4 * cfg.batch!;
  const ds = makeSynthetic(2 * n, { size: cfg.imageSize!, classes: 10, channels: 3 }, rng);
  const data = makeSearchData(ds, undefined, { imageSize: cfg.imageSize!, batch: cfg.batch!, limit: n, augment: false }, rng);
  const search = new Search(cfg, data);
  await search.step();
  rows.clear();
  const c0 = process.cpuUsage();
  await search.step();
  const c = process.cpuUsage(c0);
  console.log(`${preset} ${method} ${mode}: step ${((c.user + c.system) / 1000).toFixed(0)} ms CPU`);
  console.log(profileTable([...rows.values()].sort((a, b) => b.ms - a.ms), 30));
  search.dispose();
}
main();
