/**
 * One forward/backward pass of the supernet: cross-entropy loss, accuracy, and the gradients
 * that were asked for — w.r.t. the weights and/or w.r.t. each cell's own mixing weights p^ℓ.
 */
import * as tf from '@tensorflow/tfjs';
import type { BnStat, Fwd } from './ops';
import type { Supernet } from './network';
import type { Batch } from '../data/types';
import { markPhase } from './phase';

export interface PassOptions {
  wantW: boolean;
  wantMix: boolean;
  noiseSeed: number;
  /** Collect BN batch statistics (for running-stat updates). */
  trackStats: boolean;
}

export interface PassResult {
  loss: tf.Scalar;
  acc: tf.Scalar;
  logits: tf.Tensor2D;
  gW: tf.Tensor[] | null;
  gMix: tf.Tensor2D[] | null;
  stats: BnStat[];
}

/** Mean cross-entropy: −mean log softmax(logits)[y]. */
export function crossEntropy(logits: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar {
  const oneHot = tf.oneHot(tf.cast(y, 'int32'), logits.shape[1]);
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

export function accuracy(logits: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar {
  return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(y, 'int32')), 'float32')) as tf.Scalar;
}

/** Moves a tensor kept inside a gradient scope back under the enclosing tidy. */
function adopt<T extends tf.Tensor>(t: T): T {
  const c = tf.clone(t);
  t.dispose();
  return c;
}

export function runPass(net: Supernet, index: Map<string, number>, W: tf.Tensor[], mix: tf.Tensor2D[], batch: Batch, o: PassOptions): PassResult {
  const stats: BnStat[] = [];
  let logitsKept: tf.Tensor2D | null = null;
  let accKept: tf.Scalar | null = null;
  const nW = o.wantW ? W.length : 0;
  const f = (...args: tf.Tensor[]): tf.Scalar => {
    markPhase('forward');
    const Wc = o.wantW ? args.slice(0, nW) : W;
    const mixc = o.wantMix ? (args.slice(nW) as tf.Tensor2D[]) : mix;
    const fwd: Fwd = {
      w: (name) => {
        const i = index.get(name);
        if (i === undefined) throw new Error(`unknown parameter ${name}`);
        return Wc[i];
      },
      stats: o.trackStats ? stats : undefined,
      noiseSeed: o.noiseSeed,
      noiseCount: 0,
      memo: new Map(),
    };
    const logits = net.forward(batch.x, mixc, fwd);
    logitsKept = tf.keep(logits);
    accKept = tf.keep(accuracy(logits, batch.y));
    const loss = crossEntropy(logits, batch.y);
    markPhase('backward');
    return loss;
  };
  const args = [...(o.wantW ? W : []), ...(o.wantMix ? mix : [])];
  let loss: tf.Scalar;
  let grads: tf.Tensor[] = [];
  if (args.length > 0) {
    // ENGINE.gradients with allowNoGradients: an input no op reads (an all-'none' cell) gets zeros.
    const r = tf.engine().gradients(() => f(...args), args, undefined, true);
    loss = r.value as tf.Scalar;
    grads = r.grads.map((g, i) => g ?? tf.zerosLike(args[i]));
  } else {
    loss = f();
  }
  markPhase('other');
  for (const s of stats) s.meanVar = adopt(s.meanVar);
  return {
    loss,
    acc: adopt(accKept!),
    logits: adopt(logitsKept!),
    gW: o.wantW ? grads.slice(0, nW) : null,
    gMix: o.wantMix ? (grads.slice(nW) as tf.Tensor2D[]) : null,
    stats,
  };
}
