/**
 * Barrier-free replacements for tfjs-backend-webgpu's slowest kernels in a search step, and this
 * project's own kernels (kernels/names.ts: fused BatchNorm, the node's weighted sum, the 3×3 average
 * pool without padding in the count).
 * `useFastWebgpuKernels(true)` registers them for backendName 'webgpu' (idempotent; call after the
 * backend is registered); each replacement defers to the stock kernel for inputs it does not handle
 * (non-float32, NCHW, large GEMMs). `false` restores the stock kernels and drops our own, so ops.ts
 * falls back to its composites.
 */
import { KernelSet } from '../registry';
import { AVGPOOL3_BACKWARD, AVGPOOL3_FORWARD, BN_BACKWARD, BN_FORWARD, WSUM_BACKWARD, WSUM_FORWARD } from '../names';
import { avgPool3Backward, avgPool3Forward } from './pool';
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

/** Our own kernels: a null from them (non-float32 input) is an error, as there is no stock kernel. */
const strict = (name: string, fn: FastKernel) => (args: KernelArgs) => {
  const r = fn(args);
  if (!r) throw new Error(`${name}: float32 inputs expected`);
  return r;
};

const kernels = new KernelSet<KernelArgs>('webgpu', FAST_WEBGPU_KERNELS, Object.fromEntries(
  ([[BN_FORWARD, bnForward], [BN_BACKWARD, bnBackward], [WSUM_FORWARD, wsumForward], [WSUM_BACKWARD, wsumBackward], [AVGPOOL3_FORWARD, avgPool3Forward], [AVGPOOL3_BACKWARD, avgPool3Backward]] as [string, FastKernel][])
    .map(([name, fn]) => [name, strict(name, fn)]),
));

/** Switches between this project's kernels (true) and tfjs's stock ones (false) on 'webgpu'. */
export const useFastWebgpuKernels = (on: boolean): void => kernels.use(on);
export const installFastWebgpuKernels = () => kernels.use(true);
export const fastWebgpuKernelsInstalled = () => kernels.installed;
