/**
 * Helper threads for the CPU kernels: the main thread and T − 1 helpers run the same WebAssembly
 * module over one shared memory (`wasm.ts`), so a kernel splits its work by writing a task and
 * its integer parameters into a shared control block; everyone runs their share, the main thread
 * waits for the helpers (Atomics). Kernels stay synchronous, as tfjs calls them.
 *
 * The core does not know how threads are made: the environment passes a `Spawn` (worker_threads
 * in Node: src/cli/cpu-threads.ts; Web Workers in a cross-origin-isolated page:
 * src/worker/cpu-threads.ts). The main side must be allowed to block (Node, a Web Worker — never a
 * page's UI thread). Results do not depend on T: tasks split work so each number is summed in the
 * same order whatever the thread count (conv_tasks.ts).
 */
import { adoptSharedInstance, sharedInstance } from './wasm';
import { runTask } from './conv_tasks';

/** What a helper thread receives, once. */
export interface ThreadInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  index: number;
}

/** Starts one helper running `threadMain(init, …)`; `ready` resolves when it waits for work. */
export type Spawn = (init: ThreadInit) => { ready: Promise<void>; terminate: () => void };

// control block (Int32): generation, pending helpers, task, thread count, error flag, params…
const GEN = 0, PENDING = 1, TASK = 2, COUNT = 3, ERROR = 4, PARAMS = 8, SLOTS = 128;
const STOP = -1;

let control: Int32Array | null = null;
let helpers: { terminate: () => void }[] = [];

let threadedJobs = 0;

/** Jobs that ran on more than one thread since the process started (tests, profiles). */
export function threadedJobCount(): number {
  return threadedJobs;
}

/** Threads the kernels use now (1: the calling thread alone). */
export function cpuThreads(): number {
  return helpers.length + 1;
}

/**
 * Starts helpers so the kernels run on `threads` threads in all (replacing earlier ones). Resolves
 * to the count in use: 1 when the memory is not shared (no SharedArrayBuffer, or a page that is not
 * cross-origin isolated) or `threads` ≤ 1.
 */
export async function startCpuThreads(threads: number, spawn: Spawn): Promise<number> {
  stopCpuThreads();
  const shared = sharedInstance();
  if (!shared || threads <= 1) return 1;
  const sab = new SharedArrayBuffer(4 * SLOTS);
  const started = Array.from({ length: Math.floor(threads) - 1 }, (_, i) =>
    spawn({ module: shared.module, memory: shared.memory, control: sab, index: i + 1 }));
  try {
    await Promise.all(started.map((h) => h.ready));
  } catch (e) {
    for (const h of started) h.terminate();
    throw e;
  }
  control = new Int32Array(sab);
  helpers = started;
  return cpuThreads();
}

/** Stops the helpers; the kernels run on the calling thread again. */
export function stopCpuThreads(): void {
  if (control && helpers.length) {
    control[TASK] = STOP;
    Atomics.add(control, GEN, 1);
    Atomics.notify(control, GEN);
  }
  for (const h of helpers) h.terminate();
  helpers = [];
  control = null;
}

/**
 * Runs task `task` with `params` on every thread (share t of T; the caller is share 0) and returns
 * when all are done. `threads` caps the count for small jobs; 1 runs here without waking anyone.
 */
export function parallel(task: number, params: number[], threads = cpuThreads()): void {
  const T = Math.max(1, Math.min(threads, cpuThreads()));
  if (T === 1 || !control) {
    runTask(task, Int32Array.from(params), 0, 1);
    return;
  }
  const c = control;
  threadedJobs++;
  c.set(params, PARAMS);
  c[TASK] = task;
  c[COUNT] = T;
  c[ERROR] = 0;
  Atomics.store(c, PENDING, helpers.length);
  Atomics.add(c, GEN, 1);
  Atomics.notify(c, GEN);
  let failure: unknown = null;
  try {
    runTask(task, c.subarray(PARAMS, PARAMS + params.length), 0, T);
  } catch (e) {
    failure = e;
  }
  for (let p = Atomics.load(c, PENDING); p !== 0; p = Atomics.load(c, PENDING)) Atomics.wait(c, PENDING, p);
  if (failure) throw failure;
  if (c[ERROR]) throw new Error(`CPU kernel task ${task} failed in a helper thread`);
}

/**
 * A helper thread's life: adopt the shared module, say ready, then run shares until stopped.
 * Helpers with an index ≥ the job's thread count only check in.
 */
export function threadMain(init: ThreadInit, ready: () => void): void {
  adoptSharedInstance(init.module, init.memory);
  const c = new Int32Array(init.control);
  let gen = Atomics.load(c, GEN);
  ready();
  for (;;) {
    Atomics.wait(c, GEN, gen);
    gen = Atomics.load(c, GEN);
    const task = c[TASK];
    if (task === STOP) return;
    const T = c[COUNT];
    if (init.index < T) {
      try {
        runTask(task, c.subarray(PARAMS, SLOTS), init.index, T);
      } catch {
        Atomics.store(c, ERROR, 1);
      }
    }
    if (Atomics.sub(c, PENDING, 1) === 1) Atomics.notify(c, PENDING);
  }
}
