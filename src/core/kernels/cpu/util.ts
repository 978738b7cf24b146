/**
 * What the fast CPU kernels need from the tfjs CPU backend (`MathBackendCPU`), typed locally so
 * that nothing imports the backend package directly, and small shared helpers.
 */
import * as tf from '@tensorflow/tfjs';

export type Vals = Float32Array | Int32Array | Uint8Array;

/** The part of MathBackendCPU the kernels use. */
export interface CpuBackend {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: unknown): tf.TensorInfo;
}

export type Attrs = Record<string, unknown>;
export interface KernelArgs {
  inputs: Record<string, tf.TensorInfo>;
  backend: CpuBackend;
  attrs?: Attrs;
}
export type FastKernel = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[] | null;

/** The values of a tensor on the CPU backend. */
export function vals(b: CpuBackend, t: tf.TensorInfo): Vals {
  return b.data.get(t.dataId).values as Vals;
}

/** Float32 values, or null when the tensor is not float32 (the caller then falls back). */
export function f32(b: CpuBackend, t: tf.TensorInfo): Float32Array | null {
  if (t.dtype !== 'float32') return null;
  const v = b.data.get(t.dataId).values;
  return v instanceof Float32Array ? v : null;
}

export function out(b: CpuBackend, shape: number[], values: Float32Array): tf.TensorInfo {
  return b.makeTensorInfo(shape, 'float32', values);
}

export type Shape4 = [number, number, number, number];

/** NHWC data format? (conv attrs use 'NHWC'/'NCHW'; absent means NHWC). */
export function isNhwc(a: Attrs): boolean {
  return a.dataFormat == null || a.dataFormat === 'NHWC' || a.dataFormat === 'channelsLast';
}

/** True when every element is finite (lets kernels skip zero inputs without hiding NaN/Inf). */
export function allFinite(v: Float32Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] - v[i] !== 0) return false;
  return true;
}
