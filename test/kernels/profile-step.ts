/**
 * Measurement script (not a test): `npx tsx test/kernels/profile-step.ts [preset] [method] [fast|stock] [steps]`.
 * Times search steps on the Node CPU backend and prints the per-kernel profile of one step.
 */
import * as tf from '@tensorflow/tfjs';
import { BENCH_PRESETS } from '../../src/core/bench';
import type { Method, RunConfig } from '../../src/core/config';
import { Search } from '../../src/core/search';
import { Rng } from '../../src/core/rng';
import { makeSynthetic } from '../../src/data/synthetic';
import { makeSearchData } from '../../src/data/pipeline';
import { profileStep, profileTable } from '../../src/core/kernels/profile';
import { installFastCpuKernels } from '../../src/core/kernels/cpu/index';

async function main() {
  const [preset = 'demo', method = 'lambda', mode = 'fast', stepsArg = '2', prof = 'profile'] = process.argv.slice(2);
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  if (mode === 'fast') installFastCpuKernels();
  const cfg: Partial<RunConfig> = { ...BENCH_PRESETS[preset], method: method as Method, seed: 0, epochs: 50, lambda: 0.25, lambdaRamp: false };
  const rng = new Rng(0);
  const n = 4 * cfg.batch!;
  const ds = makeSynthetic(2 * n, { size: cfg.imageSize!, classes: 10, channels: 3 }, rng);
  const data = makeSearchData(ds, undefined, { imageSize: cfg.imageSize!, batch: cfg.batch!, limit: n, augment: false }, rng);
  const search = new Search(cfg, data);
  await search.step();
  const times: number[] = [];
  for (let i = 0; i < Number(stepsArg); i++) {
    const t0 = performance.now(), c0 = process.cpuUsage();
    const m = await search.step();
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    console.log(`step ${i}: ${times[i].toFixed(0)} ms wall, ${((c.user + c.system) / 1000).toFixed(0)} ms cpu, train loss ${m.trainLoss.toFixed(4)}`);
  }
  if (prof === 'profile') {
    const p = await profileStep(async () => void (await search.step()));
    console.log(`${preset} ${method} ${mode}: dispatches/step ${p.dispatches}`);
    console.log(profileTable(p.byKernel, 25));
  }
  search.dispose();
}
main();
