/**
 * The Λ-DARTS regularizer (ALGORITHM.md §3): layer alignment Λ of the per-cell gradients
 * g^ℓ = ∂L/∂p^ℓ, its closed-form direction d_ℓ = ∂Λ/∂g_ℓ, and ε = ε0/‖concat d‖.
 * All on tensors: G is [L, D] (one flattened g per regularized cell). Norms are guarded:
 * a zero g_ℓ gets u_ℓ = 0 and d_ℓ = 0; a zero d gives ε = 0 (no perturbation, no reg).
 */
import * as tf from '@tensorflow/tfjs';
import type { CorrType } from './config';

/** Pairwise cosine matrix [L, L] of the rows of G (0 where a row is zero). */
export function cosineMatrix(G: tf.Tensor2D): tf.Tensor2D {
  const inv = tf.divNoNan(1, tf.norm(G, 'euclidean', 1, true));
  const U = tf.mul(G, inv) as tf.Tensor2D;
  return tf.matMul(U, U, false, true);
}

/** Mean over pairs i<j of M[i,j] (0 when L < 2). */
export function meanOffDiagonal(M: tf.Tensor2D): tf.Scalar {
  const L = M.shape[0];
  if (L < 2) return tf.scalar(0);
  const off = tf.sub(tf.sum(M), tf.sum(tf.mul(M, tf.eye(L))));
  return tf.div(off, L * (L - 1)) as tf.Scalar;
}

export interface Alignment {
  /** Λ as logged: mean pairwise cosine (`train_corr`). */
  corr: tf.Scalar;
  /** The Λ that is regularized (equals corr for 'corr'; the sign-score for 'signcorr'). */
  alignment: tf.Scalar;
  /** ∂(alignment)/∂G, [L, D]. */
  d: tf.Tensor2D;
  /** The cosine matrix [L, L]. */
  cos: tf.Tensor2D;
}

/** Λ, its direction d and the cosine matrix (ALGORITHM.md §3). */
export function alignment(G: tf.Tensor2D, type: CorrType): Alignment {
  const L = G.shape[0];
  const cos = cosineMatrix(G);
  const corr = meanOffDiagonal(cos);
  if (L < 2) return { corr, alignment: corr, d: tf.zerosLike(G), cos };
  const w = 2 / (L * (L - 1));
  if (type === 'corr') {
    // d_ℓ = (w/‖g_ℓ‖)·(s − u_ℓ(u_ℓ·s)),  u_ℓ = g_ℓ/‖g_ℓ‖,  s = Σ_j u_j
    const inv = tf.divNoNan(1, tf.norm(G, 'euclidean', 1, true));
    const U = tf.mul(G, inv);
    const s = tf.sum(U, 0, true);
    const us = tf.sum(tf.mul(U, s), 1, true);
    const d = tf.mul(tf.mul(inv, w), tf.sub(s, tf.mul(U, us))) as tf.Tensor2D;
    return { corr, alignment: corr, d, cos };
  }
  // signcorr: S_ij = g_i·g_j / (|g_i|·|g_j|);  d_i = w Σ_{j≠i} (g_j − S_ij sign(g_i)⊙|g_j|)/(|g_i|·|g_j|)
  const A = tf.abs(G);
  const offDiag = tf.sub(tf.onesLike(cos), tf.eye(L));
  const Dabs = tf.matMul(A, A, false, true);
  const S = tf.mul(tf.divNoNan(tf.matMul(G, G, false, true), Dabs), offDiag);
  const Cm = tf.mul(tf.divNoNan(1, Dabs), offDiag);
  const Em = tf.divNoNan(S, Dabs);
  const d = tf.mul(tf.sub(tf.matMul(Cm, G), tf.mul(tf.sign(G), tf.matMul(Em, A))), w) as tf.Tensor2D;
  const signScore = tf.div(tf.sum(S), L * (L - 1)) as tf.Scalar;
  return { corr, alignment: signScore, d, cos };
}

/** ε = ε0/‖concat_ℓ d_ℓ‖₂ (0 when d = 0, so the perturbation ε·d has norm ε0 or is zero). */
export function epsilonOf(d: tf.Tensor2D, epsilon0: number): tf.Scalar {
  return tf.mul(epsilon0, tf.divNoNan(1, tf.norm(d))) as tf.Scalar;
}
