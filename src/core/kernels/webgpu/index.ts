/**
 * Barrier-free replacements for tfjs-backend-webgpu's slowest kernels in a search step, and this
 * project's own kernels (kernels/names.ts: fused BatchNorm, the node's weighted sum).
 * `useFastWebgpuKernels(true)` registers them for backendName 'webgpu' (idempotent; call after the
 * backend is registered); each replacement defers to the stock kernel for inputs it does not handle
 * (non-float32, NCHW, large GEMMs). `false` restores the stock kernels and drops our own, so ops.ts
 * falls back to its composites.
 */
import * as tf from '@tensorflow/tfjs';
import { BN_BACKWARD, BN_FORWARD, WSUM_BACKWARD, WSUM_FORWARD } from '../names';
import { bnBackward, bnForward } from './batchnorm';
import { conv2D, conv2DBackpropFilter, conv2DBackpropInput } from './conv2d';
import { batchMatMul } from './matmul';
import type { FastKernel, KernelArgs } from './program';
import { wsumBackward, wsumForward } from './wsum';

export const FAST_WEBGPU_KERNELS: Record<string, FastKernel> = {
  Conv2D: conv2D,
  Conv2DBackpropInput: conv2DBackpropInput,
  Conv2DBackpropFilter: conv2DBackpropFilter,
  BatchMatMul: batchMatMul,
};

const stock = new Map<string, tf.KernelConfig>();
let installed = false;

/** Switches between this project's kernels (true) and tfjs's stock ones (false) on 'webgpu'. */
export function useFastWebgpuKernels(on: boolean): void {
  if (on === installed) return;
  for (const [name, fast] of Object.entries(FAST_WEBGPU_KERNELS)) {
    if (!stock.has(name)) {
      const k = tf.getKernel(name, 'webgpu');
      if (!k) return; // the webgpu backend is not registered
      stock.set(name, k);
    }
    const orig = stock.get(name)!;
    tf.unregisterKernel(name, 'webgpu');
    if (on) {
      const kernelFunc = (args: KernelArgs) => fast(args) ?? orig.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]);
      tf.registerKernel({ ...orig, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
    } else {
      tf.registerKernel(orig);
    }
  }
  const own: [string, FastKernel][] = [[BN_FORWARD, bnForward], [BN_BACKWARD, bnBackward], [WSUM_FORWARD, wsumForward], [WSUM_BACKWARD, wsumBackward]];
  for (const [name, fn] of own) {
    if (tf.getKernel(name, 'webgpu')) tf.unregisterKernel(name, 'webgpu');
    if (on) {
      const kernelFunc = (args: KernelArgs) => {
        const r = fn(args);
        if (!r) throw new Error(`${name}: float32 inputs expected`);
        return r;
      };
      tf.registerKernel({ kernelName: name, backendName: 'webgpu', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
    }
  }
  installed = on;
}

export const installFastWebgpuKernels = () => useFastWebgpuKernels(true);
export const fastWebgpuKernelsInstalled = () => installed;
