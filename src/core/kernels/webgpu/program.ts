/**
 * Barrier-free WGSL programs for tfjs-backend-webgpu: one invocation per output element (or per
 * partial sum), no workgroup memory, no `workgroupBarrier`. tfjs's tiled matmul / conv / reduce
 * shaders synchronise workgroups, which a software GPU (SwiftShader) emulates with fibers: there a
 * [64,16,16,8] 3×3 conv takes 221 ms and a per-channel mean 38 ms, against 0.5–2 ms for a flat
 * shader of the same size (test/browser/webgpu-kernels.ts measures both). On hardware GPUs these
 * sizes (≤ 1M outputs, ≤ 16·9 taps) are bound by dispatch count, which the fused kernels also cut.
 *
 * Types only from tfjs-backend-webgpu, so the numeric core still loads in Node without it.
 */
import type * as tf from '@tensorflow/tfjs';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

export type ProgramUniform = { type: 'int32' | 'float32' | 'uint32'; data: number[] }[];

/** The part of WebGPUBackend the kernels use. */
export interface WebgpuBackend {
  runWebGPUProgram(program: WebGPUProgram, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms?: ProgramUniform): tf.TensorInfo;
  disposeData(dataId: tf.TensorInfo['dataId']): void;
  device?: GPUDevice;
}

export interface KernelArgs {
  inputs: Record<string, tf.TensorInfo>;
  backend: WebgpuBackend;
  attrs?: Record<string, unknown>;
}
export type FastKernel = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[] | null;

const WORKGROUP = 64;

/**
 * A program of `threads` invocations over a flat index; `body` runs with `index` (i32, already
 * bounds-checked) and writes `result[...]`. Inputs are the raw f32 arrays named `inputs`
 * (`array<vec4<f32>>` where `vec4.inputs[i]` is 4; with `vec4.output`, `result` holds vec4s).
 * `key` must name every constant baked into `body` besides the output shape (tfjs caches pipelines
 * by it; the thread count is a uniform, so one pipeline serves every count).
 */
export function flatProgram(key: string, inputs: string[], outputShape: number[], body: string, threads = size(outputShape), decls = '', vec4: { inputs?: number[]; output?: boolean } = {}): FlatProgram {
  return {
    threads,
    ...(vec4.inputs ? { variableComponents: vec4.inputs } : {}),
    ...(vec4.output ? { outputComponent: 4 } : {}),
    uniforms: 'threads : i32,',
    variableNames: inputs,
    outputShape,
    shaderKey: `lambdadarts_${key}_${outputShape.join('x')}`,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(threads / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    size: false,
    getUserCode: () => `
      ${decls}
      fn main(index : i32) {
        if (index >= uniforms.threads) { return; }
        ${body}
      }`,
  };
}

/** A flat program and its invocation count (passed as a uniform: the pipeline layout is 'auto', so a
 * shader that never reads `uniforms` would lose the binding tfjs always sets). */
export interface FlatProgram extends WebGPUProgram {
  threads: number;
}

/** Runs a flatProgram on `inputs` (float32 output). */
export function run(b: WebgpuBackend, prog: FlatProgram, inputs: tf.TensorInfo[]): tf.TensorInfo {
  return b.runWebGPUProgram(prog, inputs, 'float32', [{ type: 'int32', data: [prog.threads] }]);
}

/**
 * WGSL that splits a flat row-major index `from` into named coordinates, innermost first:
 * unravel('index', ['c', 'j', 'i', 'n'], ['C', 'W', 'H']) → c = index % C, j = (index / C) % W, …, n.
 * `dims` are WGSL expressions for every coordinate but the outermost.
 */
export function unravel(from: string, names: string[], dims: string[], tmp = `${from}_t`): string {
  const lines = [`var ${tmp} = ${from};`];
  names.forEach((nm, k) => {
    if (k === names.length - 1) lines.push(`let ${nm} = ${tmp};`);
    else lines.push(`let ${nm} = ${tmp} % (${dims[k]});`, `${tmp} = ${tmp} / (${dims[k]});`);
  });
  return lines.join('\n        ');
}

export const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** WGSL float literal. */
export const f = (x: number) => (Number.isInteger(x) ? `${x}.0` : `${x}`);

/**
 * Split-K sums: `parts` partial rows of `cols` values → their column sums × `scale` (one
 * invocation per column). Used after kernels that write [parts, cols] partial sums.
 */
export function columnSum(b: WebgpuBackend, partials: tf.TensorInfo, parts: number, cols: number, outShape: number[], scale = 1): tf.TensorInfo {
  const prog = flatProgram(`colsum_${parts}_${cols}_${scale}`, ['p'], outShape, `
        var acc = 0.0;
        for (var i = 0; i < ${parts}; i++) { acc = acc + p[i * ${cols} + index]; }
        result[index] = acc * ${f(scale)};`, cols);
  return run(b, prog, [partials]);
}

/** Rows of a split reduction: `rows` split into chunks of `chunk` (the last may be shorter). */
export function chunking(rows: number, minChunk = 64, targetThreads = 4096, lanes = 1): { chunk: number; parts: number } {
  // enough partial sums to keep a GPU busy, long enough chunks that the partials stay small
  const want = Math.max(1, Math.ceil(targetThreads / Math.max(1, lanes)));
  const chunk = Math.max(minChunk, Math.ceil(rows / want));
  return { chunk, parts: Math.ceil(rows / chunk) };
}
