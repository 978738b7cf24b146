/**
 * The CPU kernels' helper threads in the browser (harness `__cpuThreadCheck`): in a module worker,
 * as the app's search worker runs them, a convolution and its two gradients on 1 and 2 threads
 * (every convolution threaded) and on tfjs's stock kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { CONV_THREADING } from '../../../src/core/kernels/cpu/conv2d';
import { useFastCpuKernels } from '../../../src/core/kernels/cpu/index';
import { threadedJobCount } from '../../../src/core/kernels/cpu/threads';
import { sharedInstance } from '../../../src/core/kernels/cpu/wasm';
import { useBackend } from '../../../src/worker/backend';
import { startBrowserCpuThreads } from '../../../src/worker/cpu-threads';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async () => {
  try {
    if (!(await useBackend('cpu'))) throw new Error('the cpu backend did not start');
    const x = tf.randomNormal([6, 17, 17, 8], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 8, 12], 0, 1, 'float32', 2) as tf.Tensor4D;
    const dy = tf.randomNormal([6, 9, 9, 12], 0, 1, 'float32', 3);
    const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 1);
    const values = () => tf.tidy(() => [conv(x, w), ...tf.grads((a: tf.Tensor, b: tf.Tensor) => conv(a, b).mul(dy).sum())([x, w])].map((t) => t.dataSync().slice()));
    CONV_THREADING.minMacs = 0;
    const one = values();
    const started = await startBrowserCpuThreads(2);
    const j0 = threadedJobCount();
    const two = values();
    const jobs = threadedJobCount() - j0;
    useFastCpuKernels(false);
    const stock = values();
    useFastCpuKernels(true);
    let maxDiff = 0, maxRef = 0;
    stock.forEach((s, k) => s.forEach((v, i) => ((maxDiff = Math.max(maxDiff, Math.abs(two[k][i] - v))), (maxRef = Math.max(maxRef, Math.abs(v))))));
    scope.postMessage({
      isolated: scope.crossOriginIsolated, shared: !!sharedInstance(), threads: started.threads, problem: started.problem, jobs,
      identical: one.map((a, k) => a.length === two[k].length && a.every((v, i) => Object.is(v, two[k][i]))), maxDiff, maxRef,
    });
  } catch (e) {
    scope.postMessage({ error: (e as Error).message });
  }
};
