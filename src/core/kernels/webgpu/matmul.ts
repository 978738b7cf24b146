/**
 * BatchMatMul as barrier-free WGSL for the shapes a search step makes: the per-node weighted sum
 * p[1,K′]·S[K′,M] (ops.ts mixedSum) and its gradients dS = pᵀ·dy, dp = dy·Sᵀ (M up to 10⁶), the
 * classifier head, the Λ correlations. One invocation per output; when outputs are few and the inner
 * dimension long, split-K partial sums added by columnSum. tfjs's 32×32 tiles waste 31/32 of a
 * [1,K′]×[K′,M] product and synchronise workgroups; large square products keep the stock kernel.
 */
import type * as tf from '@tensorflow/tfjs';
import { chunking, columnSum, flatProgram, run, size, unravel, type KernelArgs } from './program';

/** Outputs below this with an inner dimension above SPLIT_K_INNER are summed in chunks. */
const SPLIT_K_OUTPUTS = 4096;
const SPLIT_K_INNER = 512;

export function batchMatMul({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { a, b } = inputs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || a.shape.length !== b.shape.length) return null;
  const tA = !!attrs.transposeA, tB = !!attrs.transposeB;
  const r = a.shape.length;
  const M = tA ? a.shape[r - 1] : a.shape[r - 2];
  const K = tA ? a.shape[r - 2] : a.shape[r - 1];
  const N = tB ? b.shape[r - 2] : b.shape[r - 1];
  if ((tB ? b.shape[r - 1] : b.shape[r - 2]) !== K) return null;
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const bA = size(outerA), bB = size(outerB);
  // equal batch dims, or one side a single matrix broadcast over the other
  if (!(outerA.every((d, i) => d === outerB[i]) || bA === 1 || bB === 1)) return null;
  // a real GEMM: leave it to tfjs's tiled kernel (hardware GPUs do it well)
  if (M >= 64 && N >= 64 && K >= 64) return null;
  const B = Math.max(bA, bB);
  const outShape = [...(bA >= bB ? outerA : outerB), M, N];
  const O = B * M * N;
  const aIdx = tA ? `k * ${M} + i` : `i * ${K} + k`;
  const bIdx = tB ? `j * ${K} + k` : `k * ${N} + j`;
  const head = `
        let oi = index % ${O};
        ${unravel('oi', ['j', 'i', 'bt'], [`${N}`, `${M}`])}
        let ab = ${bA === 1 ? 0 : `bt * ${M * K}`};
        let bb = ${bB === 1 ? 0 : `bt * ${K * N}`};`;
  const loop = (k0: string, k1: string) => `
        var acc = 0.0;
        for (var k = ${k0}; k < ${k1}; k++) { acc = acc + a[ab + ${aIdx}] * b[bb + ${bIdx}]; }
        result[index] = acc;`;
  const key = `${tA}_${tB}_${bA}_${bB}_${M}_${K}_${N}`;
  if (O >= SPLIT_K_OUTPUTS || K <= SPLIT_K_INNER) {
    return run(backend, flatProgram(`matmul_${key}`, ['a', 'b'], outShape, head + loop('0', `${K}`)), [a, b]);
  }
  const { chunk, parts } = chunking(K, 256, 16384, O);
  const prog = flatProgram(`matmul_splitk_${key}_${chunk}`, ['a', 'b'], [parts, O], `${head}
        let k0 = (index / ${O}) * ${chunk};
        ${loop('k0', `min(k0 + ${chunk}, ${K})`)}`, parts * O);
  const partial = run(backend, prog, [a, b]);
  const out = columnSum(backend, partial, parts, O, outShape);
  backend.disposeData(partial.dataId);
  return out;
}
