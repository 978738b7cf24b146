/**
 * The weighted sum of a node's (edge, op) outputs, y = Σ_k w_k·x_k, and its gradient, without
 * stacking the K outputs into a [K, M] copy (tfjs Pack + BatchMatMul, then Unpack in the backward):
 *   forward:  chained programs, each adding as many w_k·x_k as the shader can bind
 *   backward: dx_k = w_k·dy (one program each); dw_k = Σ_m dy·x_k in chunked partial sums, then
 *             one program adding the chunks of every k
 * vec4 loads when the element count is a multiple of 4. Contract in kernels/names.ts.
 */
import type * as tf from '@tensorflow/tfjs';
import { chunking, flatProgram, run, size, type KernelArgs } from './program';

/** Storage buffers one shader may bind (WebGPU's minimum is 8; SwiftShader has 8). */
const maxBuffers = (b: KernelArgs['backend']) => b.device?.limits.maxStorageBuffersPerShaderStage ?? 8;

const terms = (inputs: Record<string, tf.TensorInfo>) =>
  Object.keys(inputs).filter((k) => /^x\d+$/.test(k)).sort((a, b) => +a.slice(1) - +b.slice(1)).map((k) => inputs[k]);

export function wsumForward({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const w = inputs.w, xs = terms(inputs);
  const M = size(xs[0].shape), L = M % 4 === 0 ? 4 : 1;
  const cap = maxBuffers(backend) - 2; // output, w
  let acc: tf.TensorInfo | null = null;
  for (let k0 = 0; k0 < xs.length; ) {
    const n = Math.min(xs.length - k0, acc ? cap - 1 : cap);
    const names = ['w', ...(acc ? ['acc'] : []), ...xs.slice(k0, k0 + n).map((_, i) => `x${i}`)];
    const sum = xs.slice(k0, k0 + n).map((_, i) => `w[${k0 + i}] * x${i}[index]`);
    const prog = flatProgram(`wsum${L}_${k0}_${n}_${!!acc}`, names, xs[0].shape, `
        result[index] = ${acc ? 'acc[index] + ' : ''}${sum.join(' + ')};`, M / L, '',
    L === 4 ? { inputs: names.map((nm) => (nm === 'w' ? 1 : 4)), output: true } : {});
    const next = run(backend, prog, [w, ...(acc ? [acc] : []), ...xs.slice(k0, k0 + n)]);
    if (acc) backend.disposeData(acc.dataId);
    acc = next;
    k0 += n;
  }
  return acc!;
}

export function wsumBackward({ inputs, backend }: KernelArgs): tf.TensorInfo[] {
  const { dy, w } = inputs;
  const xs = terms(inputs);
  const K = xs.length, M = size(dy.shape), L = M % 4 === 0 ? 4 : 1, rows = M / L;
  const v4 = (n: number) => (L === 4 ? { inputs: Array<number>(n).fill(4), output: false } : {});
  const dxs = xs.map((_, k) => run(backend, flatProgram(`wsum_dx${L}_${k}`, ['w', 'dy'], dy.shape, `
        result[index] = w[${k}] * dy[index];`, rows, '', L === 4 ? { inputs: [1, 4], output: true } : {}), [w, dy]));
  // dw: per chunk of terms, partial dot products [parts, n]; then one program sums every chunk's partials
  const cap = maxBuffers(backend) - 2; // output, dy
  const partials: { t: tf.TensorInfo; n: number; parts: number }[] = [];
  for (let k0 = 0; k0 < K; k0 += cap) {
    const n = Math.min(cap, K - k0);
    const { chunk, parts } = chunking(rows, 64, 4096, n);
    const cases = Array.from({ length: n }, (_, j) => `
          case ${j}: { for (var r = r0; r < r1; r++) { acc = acc + dy[r] * x${j}[r]; } }`).join('');
    const prog = flatProgram(`wsum_dw${L}_${n}_${rows}_${chunk}`, ['dy', ...Array.from({ length: n }, (_, j) => `x${j}`)], [parts, n], `
        let j = index % ${n};
        let r0 = (index / ${n}) * ${chunk};
        let r1 = min(r0 + ${chunk}, ${rows});
        var acc = ${L === 4 ? 'vec4<f32>(0.0)' : '0.0'};
        switch (j) {${cases}
          default: {}
        }
        result[index] = ${L === 4 ? 'acc.x + acc.y + acc.z + acc.w' : 'acc'};`, parts * n, '', v4(n + 1));
    partials.push({ t: run(backend, prog, [dy, ...xs.slice(k0, k0 + n)]), n, parts });
  }
  if (partials.length > maxBuffers(backend) - 1) throw new Error(`weighted sum of ${K} terms: too many for one shader`);
  let off = 0;
  const branches = partials.map((q, i) => {
    const s = `if (index < ${off + q.n}) { for (var p = 0; p < ${q.parts}; p++) { s = s + q${i}[p * ${q.n} + index - ${off}]; } }`;
    off += q.n;
    return s;
  });
  const dw = run(backend, flatProgram(`wsum_dwsum_${partials.map((q) => `${q.n}x${q.parts}`).join('_')}`, partials.map((_, i) => `q${i}`), [K], `
        var s = 0.0;
        ${branches.join(' else ')}
        result[index] = s;`, K), partials.map((q) => q.t));
  for (const q of partials) backend.disposeData(q.t.dataId);
  return [dw, ...dxs];
}
