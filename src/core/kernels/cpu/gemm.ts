/**
 * C[M×N] (+)= A[M×R] · B[R×N] on row-major Float64Arrays with leading dimensions, the one
 * inner product the convolutions reduce to. A 2×4 register tile (8 accumulators, 6 loads per
 * 8 multiply-adds) with scalar edges; float64 throughout, so there are no float32 conversions
 * in the inner loop. Also reusable scratch buffers (kernels are synchronous).
 */

export function gemm(
  M: number, N: number, R: number,
  A: Float64Array, aOff: number, lda: number,
  B: Float64Array, bOff: number, ldb: number,
  C: Float64Array, cOff: number, ldc: number,
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
  A: Float64Array, aOff: number, lda: number, B: Float64Array, bOff: number, ldb: number,
  C: Float64Array, cOff: number, ldc: number, accumulate: boolean,
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

const pool = new Map<string, Float64Array>();

/** A reusable Float64Array of at least n elements for `slot` (contents undefined). */
export function scratch(slot: string, n: number): Float64Array {
  let a = pool.get(slot);
  if (!a || a.length < n) {
    a = new Float64Array(Math.max(n, Math.ceil((a?.length ?? 0) * 1.5)));
    pool.set(slot, a);
  }
  return a;
}

/** Float32 → float64 copy into a scratch slot. */
export function toF64(slot: string, v: Float32Array): Float64Array {
  const a = scratch(slot, v.length);
  for (let i = 0; i < v.length; i++) a[i] = v[i];
  return a;
}
