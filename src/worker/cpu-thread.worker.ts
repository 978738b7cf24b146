/** A helper thread of the CPU kernels in the browser (a nested Web Worker): see core/kernels/cpu/threads.ts. */
import { threadMain, type ThreadInit } from '../core/kernels/cpu/threads';

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (ev: MessageEvent<ThreadInit>) => threadMain(ev.data, () => scope.postMessage('ready'));
