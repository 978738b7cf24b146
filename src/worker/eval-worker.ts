/// <reference types="vite/client" />
/**
 * The evaluation worker: retraining of derived cells and multi-seed searches (eval-jobs.ts), apart
 * from the search worker so that the race keeps its own message loop. Same backend choice
 * (backend.ts: WebGPU → WebGL → CPU, with the kernel fixes) and the same datasets (data.ts: built-in
 * MNIST, synthetic, or uploaded files that the page sends here again) as the search worker.
 */
import { pickBackend } from './backend';
import { decodeUpload, loadRaw, searchDataFor } from './data';
import type { EvalCommand, EvalMessage } from './eval-protocol';
import { EvalJobs } from './eval-jobs';
import { BACKENDS } from './protocol';
import { nextMacrotask } from './ticks';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: EvalMessage) => scope.postMessage(msg);
const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e));

const jobs = new EvalJobs({
  post,
  loadRaw: (cfg) => loadRaw(cfg, import.meta.env.BASE_URL),
  searchData: searchDataFor,
  decodeUpload,
  yieldTask: nextMacrotask,
});
let backend: Promise<void> | null = null;

scope.onmessage = (ev: MessageEvent<EvalCommand>) => {
  const cmd = ev.data;
  // the first command picks the backend; every command waits for it, in order
  if (!backend) {
    backend = pickBackend(cmd.type === 'init' && cmd.backends?.length ? cmd.backends : BACKENDS).then((c) => post({ type: 'ready', ...c }));
    backend.catch((e) => post({ type: 'error', message: errorMessage(e) }));
  }
  backend.then(() => jobs.handle(cmd), () => undefined);
};

scope.onerror = (ev) => {
  post({ type: 'error', message: typeof ev === 'string' ? ev : (ev as ErrorEvent).message });
};
scope.onunhandledrejection = (ev: PromiseRejectionEvent) => post({ type: 'error', message: errorMessage(ev.reason) });
