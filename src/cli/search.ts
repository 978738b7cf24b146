/**
 * `npm run search -- --space nb201 --method lambda --dataset cifar10-bin:PATH --epochs 30 --out run.json`
 * Runs a whole search in Node (tfjs CPU backend, or `--engine webgpu`: WebGPU through Dawn) and
 * writes per-epoch metrics and genotypes.
 * Progress goes to stderr; stdout stays empty unless --out is '-'.
 */
import './wasm-flags'; // first: relaxed SIMD before the CPU kernels compile
import * as tf from '@tensorflow/tfjs';
import { THREADS_FLAG, useFastCpu } from './cpu-threads';
import { writeFileSync } from 'node:fs';
import { makeConfig } from '../core/config';
import { Rng } from '../core/rng';
import { Search } from '../core/search';
import { makeSearchData } from '../data/pipeline';
import { loadDatasetSpec } from '../data/resolve';
import { fail, parseArgs, usage, type ExtraFlag } from './args';
import { EpochAccumulator, stepRecord, type RunLog } from './run-log';
import { useNodeWebgpu, withVulkanEnv } from './node-webgpu';

const EXTRAS: ExtraFlag[] = [
  { flag: 'out', kind: 'string', help: "where to write the run log JSON ('-' = stdout)", default: 'run.json' },
  { flag: 'log-steps', kind: 'bool', help: 'also record scalar metrics of every step', default: false },
  { flag: 'max-steps', kind: 'int', help: 'stop after this many steps (0 = run all epochs)', default: 0 },
  { flag: 'quiet', kind: 'bool', help: 'no progress on stderr', default: false },
  { flag: 'stock-kernels', kind: 'bool', help: "tfjs's stock kernels instead of this project's (CPU: ~100× slower)", default: false },
  THREADS_FLAG,
  { flag: 'engine', kind: 'string', help: "cpu (tfjs CPU backend) or webgpu (tfjs WebGPU on Dawn: needs the optional package 'webgpu' and a Vulkan driver)", default: 'cpu' },
];

async function main() {
  const args = parseArgs(process.argv.slice(2), EXTRAS);
  if (args.help) {
    process.stdout.write(usage('npm run search -- [flags]', 'Runs a DARTS / Λ-DARTS search in Node and writes a JSON run log.', EXTRAS));
    return;
  }
  if (args.positional.length) throw new Error(`unexpected argument '${args.positional[0]}' (flags start with --)`);
  makeConfig(args.cfg); // validate before loading data
  const stockKernels = !!args.extra['stock-kernels'];
  const engine = String(args.extra.engine);
  if (engine !== 'cpu' && engine !== 'webgpu') throw new Error(`--engine: expected cpu or webgpu, got '${engine}'`);
  const log = (s: string) => !args.extra.quiet && process.stderr.write(s);
  tf.env().set('PROD', true);
  if (engine === 'webgpu') {
    withVulkanEnv(); // re-runs this command with the Vulkan loader / driver paths when needed
    log(`WebGPU (Dawn): ${await useNodeWebgpu(stockKernels)}\n`);
  } else {
    await tf.setBackend('cpu');
    const threads = await useFastCpu(args.extra);
    log(`CPU kernels: ${stockKernels ? "tfjs's stock" : `this project's, ${threads} thread${threads > 1 ? 's' : ''}`}\n`);
  }
  const t0 = performance.now();
  const base = makeConfig(args.cfg);
  const loaded = await loadDatasetSpec(base.dataset, { imageSize: base.imageSize, seed: base.seed });
  const data = makeSearchData(loaded.train, loaded.test, { imageSize: base.imageSize, batch: base.batch, limit: base.limit, augment: base.augment }, new Rng(base.seed).fork());
  const search = new Search(base, data);
  const cfg = search.cfg;
  log(`${cfg.method} on ${cfg.space}: ${search.net.params.length} tensors, ${data.train.size}+${data.valid.size} images (${data.name}), ${search.stepsPerEpoch} steps/epoch, backend ${tf.getBackend()}\n`);
  const acc = new EpochAccumulator();
  const runLog: RunLog = {
    format: 'lambda-darts-run/1', config: cfg,
    dataset: { spec: cfg.dataset, name: data.name, synthetic: data.synthetic, train: data.train.size, valid: data.valid.size, test: data.test?.size ?? 0 },
    backend: tf.getBackend(), stepsPerEpoch: search.stepsPerEpoch, epochs: [], steps: args.extra['log-steps'] ? [] : undefined,
    final: { genotype: '', skipCount: 0, paramFreeCount: 0, trainCorr: NaN, validCorr: NaN }, wallS: 0,
  };
  const maxSteps = Number(args.extra['max-steps']) || search.totalSteps;
  let last = null as Awaited<ReturnType<Search['step']>> | null;
  while (!search.done && search.globalStep < maxSteps) {
    const m = await search.step();
    last = m;
    if (m.nonFinite) throw new Error(`non-finite ${m.nonFinite} at step ${m.step} (epoch ${m.epoch}); stopping`);
    acc.add(m);
    runLog.steps?.push(stepRecord(m));
    if (m.stepInEpoch % 8 === 0) log(`\r  epoch ${m.epoch + 1}/${cfg.epochs} step ${m.stepInEpoch + 1}/${search.stepsPerEpoch}  ${m.ms.toFixed(0)} ms/step   `);
    if (m.stepInEpoch === search.stepsPerEpoch - 1 || search.done || search.globalStep >= maxSteps) {
      const rec = acc.flush((performance.now() - t0) / 1000);
      runLog.epochs.push(rec);
      // the log on disk is complete up to the last finished epoch
      if (args.extra.out !== '-') writeFileSync(String(args.extra.out), JSON.stringify({ ...runLog, wallS: (performance.now() - t0) / 1000 }, null, 1));
      log(`\repoch ${rec.epoch + 1}/${cfg.epochs}  train ${rec.trainLoss.toFixed(3)}/${rec.trainAcc.toFixed(2)}  valid ${rec.validLoss.toFixed(3)}/${rec.validAcc.toFixed(2)}  Λ ${rec.trainCorr.toFixed(3)}  λe ${rec.lambdaE.toFixed(3)}  skips ${rec.skipCount}  ${rec.genotype}\n`);
    }
  }
  if (last) runLog.final = { genotype: last.genotype, skipCount: last.skipCount, paramFreeCount: last.paramFreeCount, trainCorr: last.trainCorr, validCorr: last.validCorr };
  runLog.wallS = (performance.now() - t0) / 1000;
  search.dispose();
  const json = JSON.stringify(runLog, null, 1);
  if (args.extra.out === '-') process.stdout.write(json + '\n');
  else {
    writeFileSync(String(args.extra.out), json);
    log(`wrote ${args.extra.out} (${runLog.wallS.toFixed(1)} s)\n`);
  }
}

main().catch(fail);
