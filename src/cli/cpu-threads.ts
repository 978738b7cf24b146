/**
 * Helper threads for the CPU kernels in Node: worker_threads running `cpu-thread.ts` over the
 * kernels' shared WebAssembly memory (core/kernels/cpu/threads.ts). The CLIs call
 * `startNodeCpuThreads(--threads)`; results are the same for any thread count.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { startCpuThreads, stopCpuThreads, type Spawn } from '../core/kernels/cpu/threads';
import type { ExtraFlag } from './args';
import { installFastCpuKernels } from '../core/kernels/cpu/index';

/**
 * Threads by default: one on 1–2 cores (measured on a 2-core VM: a helper made the convolutions
 * 12–19 % faster but whole steps no faster), else every core, at most 8.
 */
export function defaultCpuThreads(cores = availableParallelism()): number {
  return cores <= 2 ? 1 : Math.min(8, cores);
}

/**
 * The helper's entry is TypeScript: a bootstrap registers tsx's require hook in the new thread
 * (Node 20 does not carry the CLI's --import loader hooks into workers) and requires it.
 */
function bootstrap(): string {
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs'); // tsx's require hook, in-thread
  const entry = fileURLToPath(new URL('./cpu-thread.ts', import.meta.url));
  return `require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`;
}

const spawn: Spawn = (init) => {
  // bundled (bench/gpu-prepare.sh: esbuild emits cpu-thread.js beside this chunk): plain JavaScript
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(bootstrap(), { eval: true, workerData: init, execArgv: [] })
    : new Worker(new URL('./cpu-thread.js', import.meta.url), { workerData: init });
  worker.unref(); // a blocked helper never keeps the process alive
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`CPU helper thread exited (${code}) before it was ready`)));
  });
  return { ready, terminate: () => void worker.terminate() };
};

/**
 * Runs the CPU kernels on `threads` threads (the main one included); resolves to the count in use
 * (1, with a warning on stderr, when helpers cannot start — e.g. a bundle without tsx).
 */
export async function startNodeCpuThreads(threads = defaultCpuThreads()): Promise<number> {
  try {
    return await startCpuThreads(threads, spawn);
  } catch (e) {
    process.stderr.write(`CPU kernels: helper threads failed to start (${(e as Error).message}); running on one thread\n`);
    return 1;
  }
}

/** The CLIs' CPU engine: the fast kernels on `--threads` threads, or tfjs's stock kernels (one thread) with `--stock-kernels`. */
export async function useFastCpu(extra: Record<string, string | number | boolean>): Promise<number> {
  if (extra['stock-kernels']) return 1;
  installFastCpuKernels();
  return startNodeCpuThreads(Number(extra.threads ?? defaultCpuThreads()));
}

export { stopCpuThreads };

/** The CLIs' `--threads` flag. */
export const THREADS_FLAG: ExtraFlag = {
  flag: 'threads', kind: 'int', default: defaultCpuThreads(),
  help: 'threads for the CPU kernels (default: 1 on ≤ 2 cores, else every core up to 8); results are bit-identical for any count',
};
