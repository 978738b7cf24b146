/// <reference types="vite/client" />
/**
 * The search worker: owns the tfjs backend (WebGPU → WebGL → CPU) and the run loop. The page talks
 * to it only through the messages of protocol.ts.
 */
import { pickBackend } from './backend';
import { BACKENDS, transferablesOf, type Command, type WorkerMessage } from './protocol';
import { Runner } from './runner';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(msg: WorkerMessage): void {
  scope.postMessage(msg, transferablesOf(msg));
}

const runner = new Runner(post, import.meta.env.BASE_URL);
let backend: Promise<void> | null = null;

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

scope.onmessage = (ev: MessageEvent<Command>) => {
  const cmd = ev.data;
  // The first start picks the backend; every command waits for it, in order.
  if (!backend) {
    const order = cmd.type === 'start' && cmd.options.backends?.length ? cmd.options.backends : BACKENDS;
    backend = pickBackend(order).then((c) => post({ type: 'ready', ...c }));
    backend.catch((e) => post({ type: 'error', message: errorMessage(e) }));
  }
  backend.then(() => runner.handle(cmd), () => undefined);
};

scope.onerror = (ev) => {
  post({ type: 'error', message: typeof ev === 'string' ? ev : (ev as ErrorEvent).message });
};
scope.onunhandledrejection = (ev: PromiseRejectionEvent) => post({ type: 'error', message: errorMessage(ev.reason) });
