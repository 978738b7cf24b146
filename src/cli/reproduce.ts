/**
 * `npm run reproduce` — the paper's claim, reproduced by the project itself: the collapse preset
 * (ALGORITHM.md §8) for DARTS and Λ-DARTS over several seeds on the CIFAR-10 images in
 * ../shared/data/cifar10/, scored with the NAS-Bench-201 table. Prints a markdown table, or with
 * --json one JSON array of {method, seed, arch, nb201_cifar10_test, skip_count, final_train_corr, wall_s}.
 * The wall-time estimate and progress go to stderr.
 */
import './wasm-flags'; // first: relaxed SIMD before the CPU kernels compile
import * as tf from '@tensorflow/tfjs';
import { THREADS_FLAG, useFastCpu } from './cpu-threads';
import { writeFileSync } from 'node:fs';
import { makeConfig, type Method } from '../core/config';
import { DataError } from '../data/errors';
import { estimateWallTime } from '../eval/estimate';
import { runSeeds, type SeedRow } from '../eval/multiseed';
import { DEFAULT_NB201_PATH, loadNb201File } from '../eval/nb201-node';
import { TableError } from '../eval/nb201-table';
import { parseSeeds, searchDataFactory, stderrStatus } from '../eval/node-data';
import { REFERENCE_NOTE, REPRODUCE_PRESETS } from '../eval/presets';
import { formatDuration, formatMarkdown, METHOD_LABELS, reproduceRecords } from '../eval/seed-table';
import { fail, parseArgs, usage, UsageError, type ExtraFlag } from './args';

export const DEFAULT_CIFAR10 = 'cifar10-bin:../shared/data/cifar10/data_batch_1_first4000.bin';

const EXTRAS: ExtraFlag[] = [
  { flag: 'preset', kind: 'string', help: `experiment size: ${Object.values(REPRODUCE_PRESETS).map((p) => `${p.name} (${p.description})`).join('; ')}`, default: 'paper' },
  { flag: 'seeds', kind: 'string', help: "seeds, e.g. 0,1,2,3 or 0-3 [default: the preset's]" },
  { flag: 'methods', kind: 'string', help: "comma-separated methods (--method M = --methods M) [default: the preset's, darts,lambda]" },
  { flag: 'nb201', kind: 'string', help: "NAS-Bench-201 accuracy table (CSV); 'none' = no accuracies", default: DEFAULT_NB201_PATH },
  { flag: 'json', kind: 'bool', help: 'print one JSON array of {method, seed, arch, nb201_cifar10_test, skip_count, final_train_corr, wall_s}', default: false },
  { flag: 'out', kind: 'string', help: 'also write the full rows (per-epoch Λ, genotype, NB201 accuracy) as JSON to this file', default: '' },
  { flag: 'estimate-steps', kind: 'int', help: 'timed probe steps per method for the wall-time estimate (0 = no estimate)', default: 1 },
  { flag: 'max-steps', kind: 'int', help: 'stop every run after this many steps (0 = all epochs; previews only)', default: 0 },
  { flag: 'quiet', kind: 'bool', help: 'no progress on stderr', default: false },
  { flag: 'stock-kernels', kind: 'bool', help: "tfjs's stock CPU kernels instead of the fast ones (~100× slower)", default: false },
  THREADS_FLAG,
];

async function main() {
  const args = parseArgs(process.argv.slice(2), EXTRAS);
  const preset = REPRODUCE_PRESETS[String(args.extra.preset)];
  if (!preset) throw new UsageError(`--preset: expected one of ${Object.keys(REPRODUCE_PRESETS).join(', ')}, got '${args.extra.preset}'`);
  if (args.help) {
    process.stdout.write(usage('npm run reproduce -- [flags]', 'Runs DARTS and Λ-DARTS over several seeds on the collapse preset and prints the NB201 table (any run-config flag overrides the preset).', EXTRAS, { dataset: DEFAULT_CIFAR10, ...preset.config }));
    return;
  }
  if (args.positional.length) throw new UsageError(`unexpected argument '${args.positional[0]}' (flags start with --)`);
  const cfg = makeConfig({ dataset: DEFAULT_CIFAR10, ...preset.config, ...args.cfg });
  let seeds: number[];
  try {
    seeds = args.extra.seeds !== undefined ? parseSeeds(String(args.extra.seeds)) : args.cfg.seed !== undefined ? [args.cfg.seed] : preset.seeds;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const methodList = args.extra.methods !== undefined ? String(args.extra.methods) : args.cfg.method ?? preset.methods.join(',');
  const methods = methodList.split(',').map((m) => m.trim()).filter(Boolean) as Method[];
  for (const m of methods) if (!(m in METHOD_LABELS)) throw new UsageError(`--methods: unknown method '${m}' (expected darts, darts2, lambda)`);
  const out = stderrStatus(Boolean(args.extra.quiet));
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  const threads = await useFastCpu(args.extra);
  const backend = `${tf.getBackend()} (${args.extra['stock-kernels'] ? 'stock kernels' : `fast kernels, ${threads} thread${threads > 1 ? 's' : ''}`})`;
  const nbPath = String(args.extra.nb201);
  const table = nbPath && nbPath !== 'none' && cfg.space === 'nb201' ? await loadNb201File(nbPath) : null;
  const { makeData } = await searchDataFactory(cfg);
  const sample = makeData(seeds[0]);
  const maxSteps = Number(args.extra['max-steps']);
  out.line(`reproduce (${preset.name}): ${methods.join(' vs ')}, seeds ${seeds.join(',')}; ${cfg.space} C=${cfg.C} N=${cfg.N}, ${cfg.imageSize}×${cfg.imageSize}, ` +
    `${sample.train.size}+${sample.valid.size} images (${sample.name}), batch ${cfg.batch}, ${cfg.epochs} epochs × ${sample.train.batchesPerEpoch} steps; backend ${backend}`);
  const probe = Number(args.extra['estimate-steps']);
  if (probe > 0) {
    const est = await estimateWallTime({ methods, seeds, config: cfg, data: sample, probeSteps: probe, maxSteps });
    const per = methods.map((m) => `${m} ${est.perStep[m]!.toFixed(2)} s/step`).join(', ');
    out.line(`estimated wall time: ${formatDuration(est.totalS)} (${per}; ${est.runs} runs × ${est.stepsPerRun} steps; probe took ${formatDuration(est.probeS)})`);
  }
  const t0 = performance.now();
  let eta = NaN;
  const save = (rows: SeedRow[]) => {
    if (args.extra.out) writeFileSync(String(args.extra.out), JSON.stringify({ config: cfg, seeds, methods, table: table?.source ?? null, rows, wallS: (performance.now() - t0) / 1000 }, null, 1));
  };
  const done: SeedRow[] = [];
  const rows = await runSeeds({
    methods, seeds, config: cfg, makeData, table, maxSteps,
    onRow: (r) => {
      done.push(r);
      save(done); // the file holds every finished run, in case a long run is stopped
    },
    onProgress: (p) => {
      eta = p.etaSeconds;
      out.status(`  run ${p.run + 1}/${p.runs} ${p.method} seed ${p.seed}: step ${p.step}/${p.totalSteps}, ETA ${formatDuration(eta)}`);
    },
    onEpoch: (e, method, seed) => out.line(`${method} seed ${seed} epoch ${e.epoch + 1}/${cfg.epochs}  skips ${e.skipCount}  Λ ${e.trainCorr.toFixed(3)}  acc ${e.trainAcc.toFixed(2)}/${e.validAcc.toFixed(2)}` +
        `  NB201 ${e.nb201Cifar10 === null ? '—' : e.nb201Cifar10.toFixed(2)}  ETA ${formatDuration(eta)}  ${e.genotype}`),
  });
  const wall = (performance.now() - t0) / 1000;
  save(rows);
  if (args.extra.json) {
    process.stdout.write(JSON.stringify(reproduceRecords(rows), null, 1) + '\n');
    return;
  }
  const head = `## ${methods.map((m) => METHOD_LABELS[m]).join(' vs ')} on NAS-Bench-201 (preset ${preset.name})\n\n` +
    `${cfg.space} C=${cfg.C} N=${cfg.N}, ${cfg.imageSize}×${cfg.imageSize}, ${sample.train.size}+${sample.valid.size} images of ${sample.name}, batch ${cfg.batch}, ` +
    `${cfg.epochs} epochs${maxSteps ? ` (stopped after ${maxSteps} steps)` : ''}, arch lr ${cfg.archLr}, λ ${cfg.lambda}${cfg.lambdaRamp ? ' (ramped)' : ''}, ` +
    `${cfg.augment ? 'augmentation' : 'no augmentation'}; backend ${backend}; NB201 ${table ? `${table.epochs}-epoch test accuracies (%) from ${table.source}` : 'table: none'}. ` +
    `Final Λ = mean train alignment over the last epoch.\n\n`;
  process.stdout.write(head + formatMarkdown(rows) + `\n${REFERENCE_NOTE}\nTotal wall time: ${formatDuration(wall)}.\n`);
}

main().catch((e) => fail(e instanceof TableError || e instanceof DataError ? new UsageError(e.message) : e));
