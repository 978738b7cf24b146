/**
 * C[M×N] (+)= A[M×R] · B[R×N] on row-major Float32Arrays with leading dimensions, the one
 * inner product the convolutions reduce to. With WebAssembly SIMD (`wasm.ts`) the largest
 * block with M % 4 = 0 and N % 8 = 0 runs there (operands must be `arena()` views); the edges,
 * or everything without SIMD, run in JS as 2×4 register tiles with float64 sums.
 */
import { simdGemm } from './wasm';

export function gemm(
  M: number, N: number, R: number,
  A: Float32Array, aOff: number, lda: number,
  B: Float32Array, bOff: number, ldb: number,
  C: Float32Array, cOff: number, ldc: number,
  accumulate: boolean,
): void {
  const M4 = simdGemm ? M - (M % 4) : 0, N8 = simdGemm ? N - (N % 8) : 0;
  if (M4 > 0 && N8 > 0) {
    simdGemm!(M4, N8, R, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
    if (N8 < N) gemmJs(M4, N - N8, R, A, aOff, lda, B, bOff + N8, ldb, C, cOff + N8, ldc, accumulate);
    if (M4 < M) gemmJs(M - M4, N, R, A, aOff + M4 * lda, lda, B, bOff, ldb, C, cOff + M4 * ldc, ldc, accumulate);
  } else {
    gemmJs(M, N, R, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
  }
}

/** The JS path: 2×4 tiles (8 accumulators, 6 loads per 8 multiply-adds), scalar edges. */
export function gemmJs(
  M: number, N: number, R: number,
  A: Float32Array, aOff: number, lda: number,
  B: Float32Array, bOff: number, ldb: number,
  C: Float32Array, cOff: number, ldc: number,
  accumulate: boolean,
): void {
  const N4 = N - (N % 4), M2 = M - (M % 2);
  for (let j = 0; j < N4; j += 4) {
    for (let i = 0; i < M2; i += 2) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let a0 = aOff + i * lda, a1 = a0 + lda, b = bOff + j;
      for (let r = 0; r < R; r++, a0++, a1++, b += ldb) {
        const x0 = A[a0], x1 = A[a1];
        const y0 = B[b], y1 = B[b + 1], y2 = B[b + 2], y3 = B[b + 3];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
      }
      const o0 = cOff + i * ldc + j, o1 = o0 + ldc;
      if (accumulate) {
        C[o0] += c00; C[o0 + 1] += c01; C[o0 + 2] += c02; C[o0 + 3] += c03;
        C[o1] += c10; C[o1 + 1] += c11; C[o1 + 2] += c12; C[o1 + 3] += c13;
      } else {
        C[o0] = c00; C[o0 + 1] = c01; C[o0 + 2] = c02; C[o0 + 3] = c03;
        C[o1] = c10; C[o1 + 1] = c11; C[o1 + 2] = c12; C[o1 + 3] = c13;
      }
    }
    if (M2 < M) edge(M2, M, j, j + 4, R, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
  }
  if (N4 < N) edge(0, M, N4, N, R, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
}

/** The rows i0..i1 × columns j0..j1 of C, one dot product each. */
function edge(
  i0: number, i1: number, j0: number, j1: number, R: number,
  A: Float32Array, aOff: number, lda: number, B: Float32Array, bOff: number, ldb: number,
  C: Float32Array, cOff: number, ldc: number, accumulate: boolean,
): void {
  for (let i = i0; i < i1; i++) {
    for (let j = j0; j < j1; j++) {
      let s = 0;
      for (let r = 0, a = aOff + i * lda, b = bOff + j; r < R; r++, a++, b += ldb) s += A[a] * B[b];
      const o = cOff + i * ldc + j;
      C[o] = accumulate ? C[o] + s : s;
    }
  }
}
