/** A helper thread of the CPU kernels in Node (worker_threads): see core/kernels/cpu/threads.ts. */
import { parentPort, workerData } from 'node:worker_threads';
import { threadMain, type ThreadInit } from '../core/kernels/cpu/threads';

threadMain(workerData as ThreadInit, () => parentPort!.postMessage('ready'));
