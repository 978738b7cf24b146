/**
 * Fast replacements for the tfjs CPU backend's slowest kernels (Node and browser CPU fallback).
 * `installFastCpuKernels()` registers them for backendName 'cpu' (idempotent); each falls back to
 * the stock kernel for inputs it does not handle (non-float32, NCHW, …). `useFastCpuKernels(false)`
 * restores the stock kernels. tfjs is pinned: the kernels rely on its attrs and backend internals.
 * The GEMM, elementwise, column-sum and depthwise inner loops run in WebAssembly SIMD where the
 * runtime has it (`wasm.ts`; its memory grows to the largest working set and is kept), else in JS.
 */
import { add, multiply, realDiv, sub } from './binary';
import { concat, splitV } from './concat_split';
import { conv2D, conv2DBackpropFilter, conv2DBackpropInput } from './conv2d';
import { depthwiseConv2dNative, depthwiseConv2dNativeBackpropFilter, depthwiseConv2dNativeBackpropInput } from './depthwise';
import { batchMatMul } from './matmul';
import { avgPool, avgPoolGrad, maxPool, maxPoolGrad } from './pool';
import { mean, sum } from './reduce';
import { padV2, slice } from './slice_pad';
import { relu, square, step } from './unary';
import { unsortedSegmentSum } from './segment';
import { BN_BACKWARD, BN_FORWARD, bnBackward, bnForward } from './batchnorm';
import { KernelSet } from '../registry';
import type { FastKernel, KernelArgs } from './util';

/** kernel name → fast implementation (returns null to defer to the stock kernel). */
export const FAST_CPU_KERNELS: Record<string, FastKernel> = {
  Conv2D: conv2D,
  Conv2DBackpropInput: conv2DBackpropInput,
  Conv2DBackpropFilter: conv2DBackpropFilter,
  DepthwiseConv2dNative: depthwiseConv2dNative,
  DepthwiseConv2dNativeBackpropInput: depthwiseConv2dNativeBackpropInput,
  DepthwiseConv2dNativeBackpropFilter: depthwiseConv2dNativeBackpropFilter,
  AvgPool: avgPool,
  AvgPoolGrad: avgPoolGrad,
  MaxPool: maxPool,
  MaxPoolGrad: maxPoolGrad,
  Add: add,
  Sub: sub,
  Multiply: multiply,
  RealDiv: realDiv,
  Sum: sum,
  Mean: mean,
  Slice: slice,
  PadV2: padV2,
  Concat: concat,
  SplitV: splitV,
  BatchMatMul: batchMatMul,
  Relu: relu,
  Step: step,
  Square: square,
  UnsortedSegmentSum: unsortedSegmentSum,
};

const kernels = new KernelSet<KernelArgs>('cpu', FAST_CPU_KERNELS, { [BN_FORWARD]: bnForward, [BN_BACKWARD]: bnBackward });

/** Registers the fast kernels for 'cpu' (idempotent). */
export function installFastCpuKernels(): void {
  kernels.use(true);
}

/** Switches between the fast kernels (true) and the stock ones (false). */
export function useFastCpuKernels(on: boolean): void {
  kernels.use(on);
}

/** Whether the fast kernels are registered. */
export function fastCpuKernelsInstalled(): boolean {
  return kernels.installed;
}
