/**
 * `tsx src/cli/multiseed.ts --method lambda --seeds 0,1,2,3 [run-config flags]` — K seeds of one
 * method, one after another, and the paper's table: genotype per seed, NB201 accuracies
 * (mean ± std), skip counts, final Λ. --json prints {config, rows, summary} instead (rows carry
 * the per-epoch trajectories). Progress on stderr.
 */
import './wasm-flags'; // first: relaxed SIMD before the CPU kernels compile
import * as tf from '@tensorflow/tfjs';
import { THREADS_FLAG, useFastCpu } from './cpu-threads';
import { existsSync } from 'node:fs';
import { makeConfig } from '../core/config';
import { DataError } from '../data/errors';
import { runSeeds } from '../eval/multiseed';
import { DEFAULT_NB201_PATH, loadNb201File } from '../eval/nb201-node';
import { TableError } from '../eval/nb201-table';
import { parseSeeds, searchDataFactory, stderrStatus } from '../eval/node-data';
import { formatDuration, formatMarkdown, METHOD_LABELS, summarize } from '../eval/seed-table';
import { fail, parseArgs, usage, UsageError, type ExtraFlag } from './args';

const EXTRAS: ExtraFlag[] = [
  { flag: 'seeds', kind: 'string', help: 'seeds, e.g. 0,1,2,3 or 0-3', default: '0,1,2,3' },
  { flag: 'nb201', kind: 'string', help: `NAS-Bench-201 accuracy table (CSV); 'none' = no accuracies [default: ${DEFAULT_NB201_PATH} when it exists]` },
  { flag: 'json', kind: 'bool', help: 'print {config, rows, summary} as JSON instead of the markdown table', default: false },
  { flag: 'max-steps', kind: 'int', help: 'stop every run after this many steps (0 = all epochs)', default: 0 },
  { flag: 'quiet', kind: 'bool', help: 'no progress on stderr', default: false },
  { flag: 'stock-kernels', kind: 'bool', help: "tfjs's stock CPU kernels instead of the fast ones (~100× slower)", default: false },
  THREADS_FLAG,
];

async function main() {
  const args = parseArgs(process.argv.slice(2), EXTRAS);
  if (args.help) {
    process.stdout.write(usage('tsx src/cli/multiseed.ts -- [flags]', 'Runs one method over several seeds and prints the multi-seed table.', EXTRAS));
    return;
  }
  if (args.positional.length) throw new UsageError(`unexpected argument '${args.positional[0]}' (flags start with --)`);
  if (args.cfg.seed !== undefined) throw new UsageError('--seed: use --seeds (e.g. --seeds 0,1,2,3)');
  const cfg = makeConfig(args.cfg);
  let seeds: number[];
  try {
    seeds = parseSeeds(String(args.extra.seeds));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const out = stderrStatus(Boolean(args.extra.quiet));
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  await useFastCpu(args.extra);
  const nbPath = args.extra.nb201 !== undefined ? String(args.extra.nb201) : existsSync(DEFAULT_NB201_PATH) ? DEFAULT_NB201_PATH : 'none';
  const table = nbPath !== 'none' && nbPath !== '' && cfg.space === 'nb201' ? await loadNb201File(nbPath) : null;
  const { makeData } = await searchDataFactory(cfg);
  out.line(`${METHOD_LABELS[cfg.method]} on ${cfg.space}, seeds ${seeds.join(',')}, ${cfg.epochs} epochs; NB201 table: ${table ? table.source : 'none'}`);
  const t0 = performance.now();
  let eta = NaN;
  const rows = await runSeeds({
    methods: [cfg.method], seeds, config: cfg, makeData, table, maxSteps: Number(args.extra['max-steps']),
    onProgress: (p) => {
      eta = p.etaSeconds;
      out.status(`  seed ${p.seed} (${p.run + 1}/${p.runs}): step ${p.step}/${p.totalSteps}, ETA ${formatDuration(eta)}`);
    },
    onEpoch: (e, _m, seed) => out.line(`seed ${seed} epoch ${e.epoch + 1}/${cfg.epochs}  skips ${e.skipCount}  Λ ${e.trainCorr.toFixed(3)}` +
      `  NB201 ${e.nb201Cifar10 === null ? '—' : e.nb201Cifar10.toFixed(2)}  ETA ${formatDuration(eta)}  ${e.genotype}`),
  });
  const wallS = (performance.now() - t0) / 1000;
  if (args.extra.json) process.stdout.write(JSON.stringify({ config: cfg, seeds, table: table?.source ?? null, rows, summary: summarize(rows), wallS }, null, 1) + '\n');
  else process.stdout.write(formatMarkdown(rows, `${METHOD_LABELS[cfg.method]}, ${seeds.length} seeds`) + `\nTotal wall time: ${formatDuration(wallS)}.\n`);
}

main().catch((e) => fail(e instanceof TableError || e instanceof DataError ? new UsageError(e.message) : e));
