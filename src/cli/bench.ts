/**
 * `npm run bench`: median ms per search step (DARTS, Λ-DARTS) with the phase split, kernel
 * dispatches and memory, on the tfjs CPU backend in Node and on WebGPU and WebGL in headless
 * Chromium. `--json` prints one JSON array instead of the table. A benchmark, not a test.
 */
import * as tf from '@tensorflow/tfjs';
import { BENCH_PRESETS, runBench, type BenchOptions, type BenchResult } from '../core/bench';
import type { Method } from '../core/config';
import { fail, parseArgs, usage, type ExtraFlag } from './args';

const EXTRAS: ExtraFlag[] = [
  { flag: 'backends', kind: 'string', help: 'comma list of cpu (Node), webgpu, webgl (headless Chromium)', default: 'cpu,webgpu,webgl' },
  { flag: 'presets', kind: 'string', help: `comma list of ${Object.keys(BENCH_PRESETS).join(', ')}`, default: 'tiny,demo' },
  { flag: 'methods', kind: 'string', help: 'comma list of darts, darts2, lambda', default: 'darts,lambda' },
  { flag: 'steps', kind: 'int', help: 'timed steps per case (median reported)', default: 3 },
  { flag: 'json', kind: 'bool', help: 'print one JSON array instead of the table', default: false },
];

export interface BenchRow {
  backend: string;
  preset: string;
  method: Method;
  ms_per_step: number;
  dispatches_per_step: number | null;
  pytorch_ms_per_step: number | null;
  ratio: number | null;
  phases: BenchResult['phases'];
  memory_before: BenchResult['memoryBefore'];
  memory_after: BenchResult['memoryAfter'];
}

const toRow = (r: BenchResult): BenchRow => ({
  backend: r.backend, preset: r.preset, method: r.method, ms_per_step: round(r.msPerStep), dispatches_per_step: r.dispatchesPerStep,
  pytorch_ms_per_step: null, ratio: null, phases: r.phases && mapValues(r.phases, round), memory_before: r.memoryBefore, memory_after: r.memoryAfter,
});
const round = (x: number) => Math.round(x * 10) / 10;
function mapValues<T extends Record<string, number>>(o: T, f: (x: number) => number): T {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)])) as T;
}

async function main() {
  const args = parseArgs(process.argv.slice(2), EXTRAS);
  if (args.help) {
    process.stdout.write(usage('npm run bench -- [flags]', 'Times search steps per backend and preset.', EXTRAS));
    return;
  }
  const list = (k: string) => String(args.extra[k]).split(',').map((s) => s.trim()).filter(Boolean);
  const backends = list('backends'), presets = list('presets'), methods = list('methods') as Method[];
  for (const p of presets) if (!BENCH_PRESETS[p]) throw new Error(`--presets: unknown preset '${p}'; known: ${Object.keys(BENCH_PRESETS).join(', ')}`);
  for (const b of backends) if (!['cpu', 'webgpu', 'webgl'].includes(b)) throw new Error(`--backends: unknown backend '${b}'; expected cpu, webgpu, webgl`);
  const steps = Number(args.extra.steps);
  const log = (s: string) => process.stderr.write(s);
  const rows: BenchRow[] = [];
  const cases: BenchOptions[] = presets.flatMap((preset) => methods.map((method) => ({ preset, method, steps, warmup: 1, dispatches: true, phases: true })));
  if (backends.includes('cpu')) {
    tf.env().set('PROD', true);
    await tf.setBackend('cpu');
    for (const c of cases) {
      log(`cpu ${c.preset} ${c.method} … `);
      const r = await runBench(c);
      log(`${r.msPerStep.toFixed(0)} ms/step\n`);
      rows.push(toRow(r));
    }
  }
  const browserBackends = backends.filter((b) => b !== 'cpu');
  if (browserBackends.length) rows.push(...(await benchInBrowser(browserBackends, cases, log)));
  if (args.extra.json) process.stdout.write(JSON.stringify(rows) + '\n');
  else process.stdout.write(table(rows));
}

/** Runs the same cases in headless Chromium through the browser-test harness page. */
async function benchInBrowser(backends: string[], cases: BenchOptions[], log: (s: string) => void): Promise<BenchRow[]> {
  const { withHarness } = await import('./browser-bench');
  return withHarness(async (run) => {
    const rows: BenchRow[] = [];
    for (const backend of backends) {
      for (const c of cases) {
        log(`${backend} ${c.preset} ${c.method} … `);
        const r = await run(backend, c);
        if (!r) {
          log('backend unavailable\n');
          break;
        }
        log(`${r.msPerStep.toFixed(0)} ms/step\n`);
        rows.push(toRow(r));
      }
    }
    return rows;
  });
}

function table(rows: BenchRow[]): string {
  const head = '| backend | preset | method | ms/step | fwd+bwd | Λ passes | α step | readback | dispatches/step | tensors before→after |\n|---|---|---|---:|---:|---:|---:|---:|---:|---|\n';
  return head + rows.map((r) => `| ${r.backend} | ${r.preset} | ${r.method} | ${r.ms_per_step} | ${r.phases?.forwardBackward ?? '–'} | ${r.method === 'lambda' ? r.phases?.lambdaPasses ?? '–' : '–'} | ${r.phases?.archStep ?? '–'} | ${r.phases?.readback ?? '–'} | ${r.dispatches_per_step ?? '–'} | ${r.memory_before.numTensors}→${r.memory_after.numTensors} |`).join('\n') + '\n';
}

main().catch(fail);
