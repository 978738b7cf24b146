/// <reference types="vite/client" />
/**
 * The search worker: owns the tfjs backend (WebGPU → WebGL → CPU) and the race loop. The page talks
 * to it only through the messages of protocol.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { Search } from '../core/search';
import { loseDevice, pickBackend, recreateBackend, watchDeviceLost, type BackendChoice } from './backend';
import { decodeUpload, loadRaw, searchDataFor } from './data';
import { BACKENDS, transferablesOf, type BackendName, type Command, type WorkerMessage } from './protocol';
import { Runner } from './runner';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(msg: WorkerMessage): void {
  scope.postMessage(msg, transferablesOf(msg));
}

let order: readonly BackendName[] = BACKENDS;

function ready(c: BackendChoice): void {
  post({ type: 'ready', ...c });
  watchDeviceLost((message) => runner.deviceLost(message));
}

const runner = new Runner({
  post,
  makeSearch: (cfg, data) => new Search(cfg, data),
  loadRaw: (cfg) => loadRaw(cfg, import.meta.env.BASE_URL),
  searchData: searchDataFor,
  decodeUpload,
  tensors: () => tf.memory().numTensors,
  recreateBackend: async () => ready(await recreateBackend(order)),
  loseDevice,
});
let backend: Promise<void> | null = null;

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

scope.onmessage = (ev: MessageEvent<Command>) => {
  const cmd = ev.data;
  // The first start picks the backend; every command waits for it, in order.
  if (!backend) {
    if (cmd.type === 'start' && cmd.options.backends?.length) order = cmd.options.backends;
    const cpuThreads = cmd.type === 'start' ? cmd.options.cpuThreads : undefined;
    backend = pickBackend(order, order === BACKENDS, cpuThreads).then(ready);
    backend.catch((e) => post({ type: 'error', message: errorMessage(e) }));
  }
  backend.then(() => runner.handle(cmd), () => undefined);
};

scope.onerror = (ev) => {
  post({ type: 'error', message: typeof ev === 'string' ? ev : (ev as ErrorEvent).message });
};
scope.onunhandledrejection = (ev: PromiseRejectionEvent) => post({ type: 'error', message: errorMessage(ev.reason) });
