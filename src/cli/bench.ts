/**
 * `npm run bench`: median ms per search step (DARTS, Λ-DARTS) with the phase split, kernel
 * dispatches and memory, on the tfjs CPU backend in Node and on WebGPU and WebGL in headless
 * Chromium. `--json` prints one JSON array instead of the table. A benchmark, not a test.
 */
import './wasm-flags'; // first: relaxed SIMD before the CPU kernels compile
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BENCH_PRESETS, runBench, type BenchOptions, type BenchResult } from '../core/bench';
import type { Method } from '../core/config';
import { fail, parseArgs, usage, type ExtraFlag } from './args';
import { useNodeWebgpu, vulkanEnv } from './node-webgpu';
import { THREADS_FLAG, useFastCpu } from './cpu-threads';
import { wasmFeatures } from '../core/kernels/cpu/wasm';

const EXTRAS: ExtraFlag[] = [
  { flag: 'backends', kind: 'string', help: "comma list of cpu (Node), webgpu, webgl (headless Chromium), webgpu-node (Node on Dawn: the optional package 'webgpu')", default: 'cpu,webgpu,webgl' },
  { flag: 'presets', kind: 'string', help: `comma list of ${Object.keys(BENCH_PRESETS).join(', ')}`, default: 'tiny,demo' },
  { flag: 'methods', kind: 'string', help: 'comma list of darts, darts2, lambda', default: 'darts,lambda' },
  { flag: 'steps', kind: 'int', help: 'timed steps per case (median reported)', default: 3 },
  { flag: 'json', kind: 'bool', help: 'print one JSON array instead of the table', default: false },
  { flag: 'stock-kernels', kind: 'bool', help: "tfjs's stock kernels instead of this project's (CPU and WebGPU)", default: false },
  { flag: 'top', kind: 'int', help: 'per case, print the N slowest kernel types with their forward / backward / other ms (0 = none; --json always has all)', default: 12 },
  THREADS_FLAG,
  { flag: 'pytorch-threads', kind: 'int', help: 'threads PyTorch may use (default: --threads, like for like)' },
  { flag: 'pytorch', kind: 'bool', help: 'also time the same step in PyTorch (bench/pytorch_step.py, needs /usr/bin/python3 with torch)', default: true },
];

export interface BenchRow {
  backend: string;
  preset: string;
  method: Method;
  ms_per_step: number;
  dispatches_per_step: number | null;
  pytorch_ms_per_step: number | null;
  ratio: number | null;
  /** Threads of the CPU kernels (cpu rows); PyTorch's count is pytorch_threads. */
  threads?: number;
  pytorch_threads?: number;
  phases: BenchResult['phases'];
  /** Summed kernel ms of one profiled step per phase (null when the backend reports no kernel times). */
  kernel_ms: { forward: number; backward: number; other: number } | null;
  /** Per kernel type, slowest first: calls and ms in forward passes, backward passes and the rest. */
  kernels: { name: string; calls: number; forward_ms: number; backward_ms: number; other_ms: number }[];
  memory_before: BenchResult['memoryBefore'];
  memory_after: BenchResult['memoryAfter'];
}

const toRow = (r: BenchResult): BenchRow => ({
  backend: r.backend, preset: r.preset, method: r.method, ms_per_step: round(r.msPerStep), dispatches_per_step: r.dispatchesPerStep,
  pytorch_ms_per_step: null, ratio: null, phases: r.phases && mapValues(r.phases, round),
  kernel_ms: r.kernels?.timed ? mapValues(r.kernels.totals, round) : null,
  kernels: (r.kernels?.byKernel ?? []).map((k) => ({ name: k.name, calls: k.count, forward_ms: round(k.phaseMs.forward), backward_ms: round(k.phaseMs.backward), other_ms: round(k.phaseMs.other) })),
  memory_before: r.memoryBefore, memory_after: r.memoryAfter,
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
  for (const b of backends) if (!['cpu', 'webgpu', 'webgl', 'webgpu-node'].includes(b)) throw new Error(`--backends: unknown backend '${b}'; expected cpu, webgpu, webgl, webgpu-node`);
  const steps = Number(args.extra.steps);
  if (process.env[NODE_WEBGPU_CHILD]) return nodeWebgpuChild(presets, methods, steps, !!args.extra['stock-kernels']);
  const log = (s: string) => process.stderr.write(s);
  const rows: BenchRow[] = [];
  const cases: BenchOptions[] = presets.flatMap((preset) => methods.map((method) => ({ preset, method, steps, warmup: 1, dispatches: true, phases: true })));
  if (backends.includes('cpu')) {
    tf.env().set('PROD', true);
    await tf.setBackend('cpu');
    const threads = await useFastCpu(args.extra);
    const f = wasmFeatures();
    log(`cpu: ${threads} thread${threads > 1 ? 's' : ''}, ${f.simd ? `WebAssembly SIMD${f.fma ? ' with fused multiply-add (relaxed SIMD)' : ''}` : 'no WebAssembly SIMD (JS kernels)'}\n`);
    for (const c of cases) {
      log(`cpu ${c.preset} ${c.method} … `);
      const r = await runBench(c);
      log(`${r.msPerStep.toFixed(0)} ms/step\n`);
      rows.push({ ...toRow(r), threads });
    }
  }
  if (backends.includes('webgpu-node')) rows.push(...benchNodeWebgpu(process.argv.slice(2), log));
  const browserBackends = backends.filter((b) => b === 'webgpu' || b === 'webgl');
  if (browserBackends.length) rows.push(...(await benchInBrowser(browserBackends, cases, log, !!args.extra['stock-kernels'])));
  if (args.extra.pytorch) {
    const torchThreads = Number(args.extra['pytorch-threads'] ?? args.extra.threads);
    const torch = pytorchTimes(presets, methods, steps, torchThreads, log);
    for (const r of rows) {
      const t = torch.find((x) => x.preset === r.preset && x.method === r.method);
      if (t) {
        r.pytorch_threads = torchThreads;
        r.pytorch_ms_per_step = Math.round(t.ms_per_step * 10) / 10;
        r.ratio = Math.round((r.ms_per_step / t.ms_per_step) * 100) / 100;
      }
    }
  }
  if (args.extra.json) process.stdout.write(JSON.stringify(rows) + '\n');
  else {
    process.stdout.write(table(rows));
    const top = Number(args.extra.top);
    if (top > 0) for (const r of rows) process.stdout.write(kernelTable(r, top));
  }
}

/** The slowest kernel types of one case, forward / backward / other (one profiled step). */
function kernelTable(r: BenchRow, top: number): string {
  const head = `\n${r.backend} ${r.preset} ${r.method}: kernel ms of one profiled step` +
    (r.kernel_ms ? ` (forward ${r.kernel_ms.forward}, backward ${r.kernel_ms.backward}, other ${r.kernel_ms.other})\n` : ' — this backend reports no kernel times (calls only)\n');
  const rows = r.kernels.slice(0, top).map((k) => `| ${k.name} | ${k.calls} | ${k.forward_ms} | ${k.backward_ms} | ${k.other_ms} |`);
  return `${head}| kernel | calls | fwd ms | bwd ms | other ms |\n|---|---:|---:|---:|---:|\n${rows.join('\n')}\n`;
}

const NODE_WEBGPU_CHILD = 'LAMBDA_DARTS_BENCH_NODE_WEBGPU';

/**
 * The cases on WebGPU in Node (Dawn), in a child process: Dawn's Vulkan may need LD_LIBRARY_PATH
 * set at process start (node-webgpu.ts), and the CPU cases already own this process's tfjs.
 */
function benchNodeWebgpu(argv: string[], log: (s: string) => void): BenchRow[] {
  const env = { ...process.env, ...vulkanEnv(), [NODE_WEBGPU_CHILD]: '1' };
  const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1], ...argv], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    log(`webgpu-node: not available (exit ${r.status})\n`);
    return [];
  }
  return JSON.parse(r.stdout) as BenchRow[];
}

async function nodeWebgpuChild(presets: string[], methods: Method[], steps: number, stock: boolean): Promise<void> {
  const log = (s: string) => process.stderr.write(s);
  let adapter: string;
  try {
    adapter = await useNodeWebgpu(stock);
  } catch (e) {
    log(`webgpu-node: ${(e as Error).message}\n`);
    process.exit(2);
  }
  log(`webgpu-node: ${adapter}${stock ? ', stock kernels' : ''}\n`);
  const rows: BenchRow[] = [];
  for (const preset of presets)
    for (const method of methods) {
      log(`webgpu-node ${preset} ${method} … `);
      const r = await runBench({ preset, method, steps, warmup: 1, dispatches: true, phases: true });
      log(`${r.msPerStep.toFixed(0)} ms/step\n`);
      rows.push({ ...toRow(r), backend: 'webgpu-node' });
    }
  process.stdout.write(JSON.stringify(rows));
  process.exit(0);
}

/** Runs the same cases in headless Chromium through the browser-test harness page. */
async function benchInBrowser(backends: string[], cases: BenchOptions[], log: (s: string) => void, stock: boolean): Promise<BenchRow[]> {
  const { withHarness } = await import('./browser-bench');
  return withHarness(stock, async (run) => {
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
  const head = '| backend | threads | preset | method | ms/step | PyTorch CPU ms/step (threads) | ratio | fwd+bwd | Λ passes | α step | readback | dispatches/step | tensors before→after |\n|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n';
  return head + rows.map((r) => `| ${r.backend} | ${r.threads ?? '–'} | ${r.preset} | ${r.method} | ${r.ms_per_step} | ${r.pytorch_ms_per_step === null ? '–' : `${r.pytorch_ms_per_step} (${r.pytorch_threads})`} | ${r.ratio ?? '–'} | ${r.phases?.forwardBackward ?? '–'} | ${r.method === 'lambda' ? r.phases?.lambdaPasses ?? '–' : '–'} | ${r.phases?.archStep ?? '–'} | ${r.phases?.readback ?? '–'} | ${r.dispatches_per_step ?? '–'} | ${r.memory_before.numTensors}→${r.memory_after.numTensors} |`).join('\n') + '\n';
}

/** The same supernet and step in PyTorch on the CPU (bench/pytorch_step.py), when torch is installed. */
function pytorchTimes(presets: string[], methods: string[], steps: number, threads: number, log: (s: string) => void): { preset: string; method: string; ms_per_step: number }[] {
  const known = presets.filter((p) => ['tiny', 'demo', 'official'].includes(p));
  if (!known.length) return [];
  const py = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  log(`pytorch ${known.join(',')} … `);
  const r = spawnSync(py, ['bench/pytorch_step.py', '--presets', known.join(','), '--methods', methods.filter((m) => m !== 'darts2').join(','), '--steps', String(Math.max(3, steps)), '--threads', String(threads)], { encoding: 'utf8', timeout: 30 * 60_000 });
  if (r.status !== 0) {
    log(`not available (${/No module named 'torch'/.test(r.stderr ?? '') ? 'PyTorch is not installed: apt-get install python3-torch' : (r.stderr || r.error?.message || '').trim().split('\n').pop()}); reporting our figures only\n`);
    return [];
  }
  log('done\n');
  return JSON.parse(r.stdout);
}

main().catch(fail);
