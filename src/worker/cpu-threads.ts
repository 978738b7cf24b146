/**
 * Helper threads for the CPU kernels in the browser: nested Web Workers over the kernels' shared
 * WebAssembly memory (core/kernels/cpu/threads.ts). Shared memory needs a cross-origin-isolated
 * page (COOP same-origin + COEP require-corp: vite.config.ts sets both for dev and preview; a
 * static host must send them too), and the calling thread must be a worker (it blocks while the
 * helpers work). Otherwise the kernels run on one thread, as before.
 */
import { cpuThreads, startCpuThreads, type Spawn } from '../core/kernels/cpu/threads';

/** Why threads cannot run here, or null. */
export function cpuThreadsProblem(): string | null {
  if (typeof WorkerGlobalScope === 'undefined' || !(self instanceof WorkerGlobalScope)) return 'not in a worker';
  if (!self.crossOriginIsolated) return 'the page is not cross-origin isolated (COOP/COEP headers)';
  return null;
}

/** Default: every core but one (the page draws on it), at most 8 — one on a 2-core machine. */
export function defaultBrowserCpuThreads(): number {
  const cores = (globalThis.navigator as Navigator | undefined)?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(8, cores - 1));
}

const spawn: Spawn = (init) => {
  const worker = new Worker(new URL('./cpu-thread.worker.ts', import.meta.url), { type: 'module', name: `cpu-thread-${init.index}` });
  const ready = new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    worker.onerror = (e) => reject(new Error(`CPU helper thread failed to start: ${e.message}`));
  });
  worker.postMessage(init);
  return { ready, terminate: () => worker.terminate() };
};

/**
 * Starts helpers so the CPU kernels run on `threads` threads; resolves to the count in use and,
 * when it is 1 although more were asked for, why.
 */
export async function startBrowserCpuThreads(threads = defaultBrowserCpuThreads()): Promise<{ threads: number; problem: string | null }> {
  const problem = threads > 1 ? cpuThreadsProblem() : null;
  if (problem) return { threads: 1, problem };
  try {
    return { threads: await startCpuThreads(threads, spawn), problem: null };
  } catch (e) {
    return { threads: cpuThreads(), problem: (e as Error).message };
  }
}
