/**
 * `tsx src/cli/retrain.ts --genotype '<NB201 arch string | Genotype(...)>' [flags]` — trains the
 * derived cell from scratch as a discrete network (NB201 TinyNetwork, or the DARTS evaluation
 * network at small size) and reports its test accuracy. Progress with ETA on stderr; the final
 * JSON on stdout (one object; an array when --genotype is given several times: those are trained
 * side by side, interleaved step by step, on the same data stream).
 */
import './wasm-flags'; // first: relaxed SIMD before the CPU kernels compile
import * as tf from '@tensorflow/tfjs';
import { THREADS_FLAG, useFastCpu } from './cpu-threads';
import { existsSync } from 'node:fs';
import { type RunConfig } from '../core/config';
import { Rng } from '../core/rng';
import { DataError } from '../data/errors';
import { loadDatasetSpec } from '../data/resolve';
import { parseGenotypeText } from '../eval/discrete';
import { ArchError } from '../eval/nb201-arch';
import { DEFAULT_NB201_PATH, loadNb201File } from '../eval/nb201-node';
import { TableError } from '../eval/nb201-table';
import { stderrStatus } from '../eval/node-data';
import { makeRetrainData } from '../eval/retrain-data';
import { retrainDefaults, type RetrainOptions } from '../eval/retrain';
import { retrainSideBySide } from '../eval/retrain-run';
import { formatDuration } from '../eval/seed-table';
import { fail, parseArgs, UsageError, type ExtraFlag } from './args';

const DEFAULT_DATASET = 'cifar10-bin:../shared/data/cifar10/data_batch_1_first4000.bin,../shared/data/cifar10/test_batch_first1000.bin';

/** Run-config flags that mean the same here; every other run-config flag is refused. */
const SHARED: (keyof RunConfig)[] = ['dataset', 'imageSize', 'C', 'N', 'layers', 'epochs', 'batch', 'lr', 'lrMin', 'momentum', 'weightDecay', 'gradClip', 'seed', 'limit', 'augment'];

const EXTRAS: ExtraFlag[] = [
  { flag: 'nesterov', kind: 'bool', help: 'Nesterov momentum [default: NB201 true, DARTS false]' },
  { flag: 'lr-schedule', kind: 'string', help: 'cosine per "step" (NB201) or per "epoch" (DARTS) [default: by space]' },
  { flag: 'cutout', kind: 'int', help: 'Cutout square side in pixels, 0 = off (DARTS: 16 at 32×32)', default: 0 },
  { flag: 'drop-path', kind: 'number', help: 'DARTS: final drop-path probability (ramped linearly), 0 = off', default: 0 },
  { flag: 'auxiliary', kind: 'bool', help: 'DARTS: auxiliary head after cell 2·layers/3', default: false },
  { flag: 'aux-weight', kind: 'number', help: 'DARTS: weight of the auxiliary loss', default: 0.4 },
  { flag: 'test-limit', kind: 'int', help: 'test images (0 = all)', default: 0 },
  { flag: 'eval-every', kind: 'int', help: 'evaluate on the test set every N epochs (0 = only at the end)', default: 1 },
  { flag: 'nb201', kind: 'string', help: "NB201 table, to print the benchmark's accuracy of an NB201 cell next to yours ('none' = off)" },
  { flag: 'quiet', kind: 'bool', help: 'no progress on stderr', default: false },
  { flag: 'stock-kernels', kind: 'bool', help: "tfjs's stock CPU kernels instead of the fast ones (~100× slower)", default: false },
  THREADS_FLAG,
];

const HELP = `tsx src/cli/retrain.ts --genotype '<arch>' [flags]
Trains a derived cell from scratch and prints its test accuracy as JSON.

  --genotype            NB201 arch string (|op~0|+|op~0|op~1|+|op~0|op~1|op~2|) or DARTS Genotype(normal=[…], …); repeat to train several side by side
  --dataset             dataset spec (see npm run search -- --help) [default: ${DEFAULT_DATASET}]
  --image-size          input side [default: 16]
  --C                   initial channels [default: 8]
  --N                   NB201: cells per stage [default: 1]
  --layers              DARTS: cells [default: 5]
  --epochs              [default: 10]
  --batch               [default: 64]
  --lr, --lr-min        cosine from lr to lr-min [default: NB201 0.1, DARTS 0.025; 0]
  --momentum            [default: 0.9]
  --weight-decay        [default: NB201 5e-4, DARTS 3e-4]
  --grad-clip           max gradient norm, 0 = off [default: NB201 0, DARTS 5]
  --augment             random crop + flip [default: true]
  --limit               training images, 0 = all [default: 0]
  --seed                [default: 0]
${EXTRAS.map((e) => `  --${e.flag.padEnd(20)}${e.help}${e.default !== undefined ? ` [default: ${String(e.default)}]` : ''}`).join('\n')}
`;

async function main() {
  const argv = process.argv.slice(2);
  const genotypes: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--genotype') {
      if (argv[i + 1] === undefined) throw new UsageError('flag --genotype needs a value');
      genotypes.push(argv[++i]);
    } else if (argv[i].startsWith('--genotype=')) genotypes.push(argv[i].slice('--genotype='.length));
    else rest.push(argv[i]);
  }
  const args = parseArgs(rest, EXTRAS);
  if (args.help) return void process.stdout.write(HELP);
  if (args.positional.length) throw new UsageError(`unexpected argument '${args.positional[0]}' (flags start with --)`);
  for (const k of Object.keys(args.cfg)) if (!SHARED.includes(k as keyof RunConfig)) throw new UsageError(`--${k} is a search flag; retrain does not use it (see --help)`);
  if (genotypes.length === 0) throw new UsageError("--genotype is required (an NB201 arch string or a DARTS Genotype(...) text)");
  const parsed = genotypes.map((g) => {
    try {
      return parseGenotypeText(g);
    } catch (e) {
      throw new UsageError(`--genotype: ${(e as Error).message}`);
    }
  });
  const kind = parsed[0].kind;
  if (parsed.some((g) => g.kind !== kind)) throw new UsageError('--genotype: all genotypes must be of one kind (NB201 or DARTS)');
  const c = args.cfg, x = args.extra;
  const def = retrainDefaults(kind);
  const opts: RetrainOptions = {
    ...def,
    ...(['C', 'N', 'layers', 'epochs', 'lr', 'lrMin', 'momentum', 'weightDecay', 'gradClip', 'seed'] as const).reduce((o, k) => (c[k] !== undefined ? { ...o, [k]: c[k] } : o), {}),
    nesterov: x.nesterov !== undefined ? Boolean(x.nesterov) : def.nesterov,
    lrSchedule: x['lr-schedule'] !== undefined ? lrSchedule(String(x['lr-schedule'])) : def.lrSchedule,
    dropPath: Number(x['drop-path']), auxiliary: Boolean(x.auxiliary), auxWeight: Number(x['aux-weight']), evalEvery: Number(x['eval-every']),
  };
  if (!(opts.dropPath >= 0 && opts.dropPath < 1)) throw new UsageError(`--drop-path: expected a probability in [0, 1), got ${opts.dropPath}`);
  if (opts.lrMin > opts.lr) throw new UsageError(`--lr-min (${opts.lrMin}) must be ≤ --lr (${opts.lr})`);
  const imageSize = c.imageSize ?? 16;
  const dataOpts = { imageSize, batch: c.batch ?? 64, limit: c.limit ?? 0, testLimit: Number(x['test-limit']), augment: c.augment ?? true, cutout: Number(x.cutout) };
  const out = stderrStatus(Boolean(x.quiet));
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  await useFastCpu(args.extra);
  const nbPath = x.nb201 !== undefined ? String(x.nb201) : existsSync(DEFAULT_NB201_PATH) ? DEFAULT_NB201_PATH : 'none';
  const table = kind === 'nb201' && nbPath !== 'none' && nbPath !== '' ? await loadNb201File(nbPath) : null;
  const loaded = await loadDatasetSpec(c.dataset ?? DEFAULT_DATASET, { imageSize, seed: opts.seed });
  const runs = parsed.map((genotype) => ({ genotype, data: makeRetrainData(loaded.train, loaded.test, dataOpts, new Rng(opts.seed)) }));
  for (const n of [...loaded.notes, ...runs[0].data.notes]) out.line(`note: ${n}`);
  out.line(`retrain ${kind} ×${runs.length}: C=${opts.C} ${kind === 'nb201' ? `N=${opts.N}` : `layers=${opts.layers}`}, ${imageSize}×${imageSize}, ${runs[0].data.train.size} train / ${runs[0].data.test.size} test images (${runs[0].data.name}), ${opts.epochs} epochs × ${runs[0].data.train.batchesPerEpoch} steps`);
  const last: (number | undefined)[] = [];
  const etas = runs.map(() => NaN);
  const results = await retrainSideBySide(runs, opts, (i, done, total, eta, loss, testAcc) => {
    if (testAcc !== undefined) last[i] = testAcc;
    etas[i] = eta;
    const etaAll = formatDuration(etas.reduce((a, b) => a + b, 0));
    const tag = runs.length > 1 ? `[${i + 1}/${runs.length}] ` : '';
    const acc = last[i] === undefined ? '' : `  test ${(100 * last[i]!).toFixed(2)}%`;
    const bar = progressBar(done / total);
    if (testAcc !== undefined) out.line(`${tag}${bar} step ${done}/${total}  loss ${loss.toFixed(3)}${acc}  ETA ${etaAll}`);
    else out.status(`${tag}${bar} step ${done}/${total}  loss ${loss.toFixed(3)}${acc}  ETA ${etaAll}`);
  });
  const json = results.map((r) => {
    const nb = table?.lookup(r.genotype);
    return { ...r, nb201: nb ? { index: nb.index, exact: nb.exact, cifar10: nb.cifar10, cifar100: nb.cifar100, imagenet16: nb.imagenet16 } : null, dataset: runs[0].data.name, imageSize };
  });
  process.stdout.write(JSON.stringify(json.length === 1 ? json[0] : json, null, 1) + '\n');
}

function lrSchedule(v: string): 'step' | 'epoch' {
  if (v !== 'step' && v !== 'epoch') throw new UsageError(`--lr-schedule: expected step or epoch, got '${v}'`);
  return v;
}

function progressBar(f: number, width = 20): string {
  const n = Math.round(Math.max(0, Math.min(1, f)) * width);
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}] ${(100 * f).toFixed(0).padStart(3)}%`;
}

main().catch((e) => fail(e instanceof TableError || e instanceof DataError || e instanceof ArchError ? new UsageError(e.message) : e));
