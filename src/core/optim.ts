/**
 * Optimizers with PyTorch semantics (ALGORITHM.md §4), written by hand: tfjs's built-ins
 * differ (weight decay, first momentum step, where Adam's eps goes). Pure functions on
 * tensor lists: they return new tensors and new state; the caller swaps and disposes.
 */
import * as tf from '@tensorflow/tfjs';

export interface SgdHyper {
  lr: number;
  momentum: number;
  weightDecay: number;
}

/** torch.optim.SGD: g += wd·w; buf = μ·buf + g (first step: buf = g); w −= lr·buf. */
export function sgdStep(w: tf.Tensor[], g: tf.Tensor[], buf: tf.Tensor[] | null, h: SgdHyper): { w: tf.Tensor[]; buf: tf.Tensor[] } {
  const newBuf = g.map((gi, i) => {
    const d = h.weightDecay !== 0 ? tf.add(gi, tf.mul(w[i], h.weightDecay)) : gi;
    return buf ? tf.add(tf.mul(buf[i], h.momentum), d) : d;
  });
  return { w: w.map((wi, i) => tf.sub(wi, tf.mul(newBuf[i], h.lr))), buf: newBuf };
}

export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export interface AdamState {
  m: tf.Tensor[];
  v: tf.Tensor[];
  step: number;
}

/**
 * torch.optim.Adam with coupled L2 (not AdamW): g += wd·a; m = β1 m + (1−β1) g;
 * v = β2 v + (1−β2) g²; a −= lr/(1−β1^t) · m / (sqrt(v)/sqrt(1−β2^t) + eps).
 */
export function adamStep(a: tf.Tensor[], g: tf.Tensor[], st: AdamState | null, h: AdamHyper): { a: tf.Tensor[]; state: AdamState; gWithDecay: tf.Tensor[] } {
  const t = (st?.step ?? 0) + 1;
  const gd = g.map((gi, i) => (h.weightDecay !== 0 ? tf.add(gi, tf.mul(a[i], h.weightDecay)) : gi));
  const m = gd.map((gi, i) => (st ? tf.add(tf.mul(st.m[i], h.beta1), tf.mul(gi, 1 - h.beta1)) : tf.mul(gi, 1 - h.beta1)));
  const v = gd.map((gi, i) => {
    const g2 = tf.mul(tf.square(gi), 1 - h.beta2);
    return st ? tf.add(tf.mul(st.v[i], h.beta2), g2) : g2;
  });
  const bc1 = 1 - Math.pow(h.beta1, t);
  const bc2 = Math.sqrt(1 - Math.pow(h.beta2, t));
  const next = a.map((ai, i) => tf.sub(ai, tf.mul(tf.div(m[i], tf.add(tf.div(tf.sqrt(v[i]), bc2), h.eps)), h.lr / bc1)));
  return { a: next, state: { m, v, step: t }, gWithDecay: gd };
}

/**
 * Σ of same-shape tensors in chunks of at most 4 inputs per AddN: tfjs-backend-webgpu 4.22 binds
 * every AddN input as a storage buffer and silently returns garbage past the device limit (8 on
 * SwiftShader), so no core code calls tf.addN with more inputs than that.
 */
export function sumN<T extends tf.Tensor>(ts: T[]): T {
  let xs: tf.Tensor[] = ts;
  while (xs.length > 1) {
    const next: tf.Tensor[] = [];
    for (let i = 0; i < xs.length; i += 4) {
      const c = xs.slice(i, i + 4);
      next.push(c.length === 1 ? c[0] : tf.addN(c));
    }
    xs = next;
  }
  return xs[0] as T;
}

/** Global 2-norm over tensors (as torch.nn.utils.clip_grad_norm_ computes it). */
export function globalNorm(ts: tf.Tensor[]): tf.Scalar {
  return tf.sqrt(sumN(ts.map((t) => tf.sum(tf.square(t))))) as tf.Scalar;
}

/** coef = min(1, max/(total + 1e-6)), as clip_grad_norm_. */
export function clipCoef(total: tf.Scalar, maxNorm: number): tf.Scalar {
  if (maxNorm <= 0) return tf.scalar(1);
  return tf.minimum(1, tf.div(maxNorm, tf.add(total, 1e-6))) as tf.Scalar;
}

/** All tensors as one flat vector (in order). */
export function flatten(ts: tf.Tensor[]): tf.Tensor1D {
  return (ts.length === 1 ? tf.reshape(ts[0], [-1]) : tf.concat(ts.map((t) => tf.reshape(t, [-1])))) as tf.Tensor1D;
}

/** The inverse of `flatten`, with the shapes of `like`. */
export function unflatten(flat: tf.Tensor, like: tf.Tensor[]): tf.Tensor[] {
  const parts = like.length === 1 ? [flat] : tf.split(flat, like.map((t) => t.size));
  return parts.map((p, i) => tf.reshape(p, like[i].shape));
}
