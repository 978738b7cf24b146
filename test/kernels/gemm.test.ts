import { describe, expect, it } from 'vitest';
import { gemm, gemmJs } from '../../src/core/kernels/cpu/gemm';
import { arena, simdGemm, wasmFeatures } from '../../src/core/kernels/cpu/wasm';
import { rand } from './helpers';

/** C = A·B (+ C) in float64, from the definition. */
function ref(M: number, N: number, R: number, A: Float32Array, B: Float32Array, C0: Float32Array | null): Float64Array {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let s = C0 ? C0[i * N + j] : 0;
    for (let r = 0; r < R; r++) s += A[i * R + r] * B[r * N + j];
    C[i * N + j] = s;
  }
  return C;
}

const maxErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
  return e;
};

describe('GEMM (WebAssembly SIMD block + JS edges)', () => {
  it('WebAssembly SIMD is available in Node 20', () => expect(simdGemm).not.toBeNull());

  it('runs on relaxed SIMD (fused multiply-add) and a shared memory: src/cli/wasm-flags.ts, set up as in the CLIs', () => {
    expect(wasmFeatures()).toEqual({ simd: true, fma: true, shared: true });
  });

  it.each([[4, 8, 1], [4, 8, 37], [7, 13, 5], [12, 24, 72], [5, 3, 9], [1, 1, 1], [16, 8, 0], [33, 71, 19]])('M%i N%i R%i, set and accumulate', (M, N, R) => {
    const [A, B, C] = arena([M * R, R * N, M * N]);
    A.set(rand(M * R, M + 1));
    B.set(rand(R * N, N + 2));
    gemm(M, N, R, A, 0, R, B, 0, N, C, 0, N, false);
    expect(maxErr(C, ref(M, N, R, A, B, null))).toBeLessThan(1e-5);
    const C0 = C.slice();
    gemm(M, N, R, A, 0, R, B, 0, N, C, 0, N, true);
    expect(maxErr(C, ref(M, N, R, A, B, C0))).toBeLessThan(2e-5);
    const Cj = new Float32Array(M * N);
    gemmJs(M, N, R, A, 0, R, B, 0, N, Cj, 0, N, false);
    expect(maxErr(Cj, ref(M, N, R, A, B, null))).toBeLessThan(1e-5);
  });

  it('honours offsets and leading dimensions', () => {
    const [A, B, C] = arena([10 * 20, 20 * 30, 12 * 40]);
    A.set(rand(200, 3));
    B.set(rand(600, 4));
    C.fill(7);
    // C[2.., 3..] (8×16, ldc 40) = A[1.., 2..] (8×9, lda 20) · B[1.., 5..] (9×16, ldb 30)
    gemm(8, 16, 9, A, 22, 20, B, 35, 30, C, 83, 40, false);
    for (let i = 0; i < 12; i++) for (let j = 0; j < 40; j++) {
      let e = 7;
      if (i >= 2 && i < 10 && j >= 3 && j < 19) {
        e = 0;
        for (let r = 0; r < 9; r++) e += A[(i - 1) * 20 + 2 + r] * B[(r + 1) * 30 + 5 + j - 3];
      }
      expect(Math.abs(C[i * 40 + j] - e)).toBeLessThan(1e-5);
    }
  });
});
