/**
 * One bilevel search step (ALGORITHM.md §4): the weight step (DARTS: one pass; Λ-DARTS: three
 * passes and the finite-difference regularizer) and the architecture step (first-order, or the
 * unrolled second-order DARTS step). Pure tensor function: call inside tf.tidy; it returns the
 * new state and the step's metrics as tensors (no readback here).
 */
import * as tf from '@tensorflow/tfjs';
import type { CorrType, Method } from './config';
import { alignment, epsilonOf } from './lambda';
import type { Supernet } from './network';
import type { BnStat } from './ops';
import { adamStep, clipCoef, flatten, sgdStep, sumN, unflatten, type AdamHyper, type AdamState } from './optim';
import { runPass, type PassResult } from './pass';
import type { Batch } from '../data/types';

export interface ModelState {
  /** Weights in `net.params` order, tfjs layout. */
  W: tf.Tensor[];
  /** BN running stats: [mean, var] per `net.buffers` entry, flattened. */
  buffers: tf.Tensor[];
  /** One α per `net.alphas` entry, [E, K]. */
  alpha: tf.Tensor2D[];
  /** SGD momentum buffer, one flat vector over all weights (in `W` order). */
  sgdBuf: tf.Tensor[] | null;
  adam: AdamState | null;
}

export interface StepHyper {
  method: Method;
  order: 'weights-first' | 'arch-first';
  lr: number;
  momentum: number;
  weightDecay: number;
  gradClip: number;
  adam: AdamHyper;
  lambdaE: number;
  epsilon0: number;
  corr: CorrType;
  unrolledR: number;
  /** Base seed for the noise op in each pass. */
  noiseSeed: number;
  trackStats: boolean;
  /** Also compute trace-only quantities (fixtures). */
  trace?: boolean;
}

/** Tensors produced by one step; `trace` holds every intermediate (fixtures, debugging). */
export interface StepOutput {
  state: ModelState;
  metrics: Record<string, tf.Tensor>;
  trace: Record<string, tf.Tensor | tf.Tensor[]>;
}

export interface NetContext {
  net: Supernet;
  index: Map<string, number>;
  bufferIndex: Map<string, number>;
}

export function netContext(net: Supernet): NetContext {
  return {
    net,
    index: new Map(net.params.map((p, i) => [p.name, i])),
    bufferIndex: new Map(net.buffers.map((b, i) => [b.name, i])),
  };
}

/**
 * r ← 0.9·r + 0.1·stat, per BN that ran (PyTorch momentum 0.1, unbiased variance): all BNs of a
 * pass in one concatenated update (the same float32 ops, ~6 kernels instead of 6 per BN).
 */
function updateBuffers(ctx: NetContext, buffers: tf.Tensor[], stats: BnStat[]): tf.Tensor[] {
  const out = buffers.slice();
  // a stat's meanVar [2, ΣC] flattened is its BNs' running means, then their running variances
  const slotsOf = (s: BnStat) => {
    const idx = s.names.map((n) => ctx.bufferIndex.get(n)!);
    return [...idx.map((i) => 2 * i), ...idx.map((i) => 2 * i + 1)];
  };
  const slots = stats.flatMap(slotsOf);
  if (slots.length === 0) return out;
  if (new Set(slots).size !== slots.length) {
    // a BN that ran twice in one pass: its updates compose, so apply them in order
    for (const s of stats) {
      const ks = slotsOf(s);
      const fresh = tf.split(tf.reshape(s.meanVar, [-1]), ks.map((k) => out[k].size));
      ks.forEach((k, j) => (out[k] = tf.add(tf.mul(out[k], 0.9), tf.mul(tf.reshape(fresh[j], out[k].shape), 0.1))));
    }
    return out;
  }
  const old = tf.concat(slots.map((k) => tf.reshape(out[k], [-1])));
  const fresh = tf.concat(stats.map((s) => tf.reshape(s.meanVar, [-1])));
  const next = tf.split(tf.add(tf.mul(old, 0.9), tf.mul(fresh, 0.1)), slots.map((k) => out[k].size));
  slots.forEach((k, j) => (out[k] = tf.reshape(next[j], out[k].shape)));
  return out;
}

/** ∂L/∂α_a = J(p) Σ_{ℓ of type a} g^ℓ = p ⊙ (G − rowsum(p ⊙ G)) (softmax Jacobian, exact). */
export function alphaGrads(net: Supernet, P: tf.Tensor2D[], gMix: tf.Tensor2D[]): tf.Tensor2D[] {
  return net.alphas.map((_, a) => {
    const gs = gMix.filter((_, i) => net.mixCells[i].alpha === a);
    if (gs.length === 0) return tf.zerosLike(P[a]);
    const G = sumN(gs);
    return tf.mul(P[a], tf.sub(G, tf.sum(tf.mul(P[a], G), 1, true))) as tf.Tensor2D;
  });
}

/** Per-cell votes −J(p)·g^ℓ, [nMix, E·K]; they sum over cells to −∂L/∂α. */
export function votes(net: Supernet, P: tf.Tensor2D[], gMix: tf.Tensor2D[]): tf.Tensor2D {
  return tf.stack(
    gMix.map((g, i) => {
      const p = P[net.mixCells[i].alpha];
      return tf.reshape(tf.neg(tf.mul(p, tf.sub(g, tf.sum(tf.mul(p, g), 1, true)))), [-1]);
    }),
  ) as tf.Tensor2D;
}

const perCellMix = (net: Supernet, P: tf.Tensor2D[]) => net.mixCells.map((c) => tf.clone(P[c.alpha]) as tf.Tensor2D);
const rowNorms = (gs: tf.Tensor2D[]) => tf.stack(gs.map((g) => tf.norm(g))) as tf.Tensor1D;

interface Passer {
  (W: tf.Tensor[], mix: tf.Tensor2D[], batch: Batch, wantW: boolean, wantMix: boolean): PassResult;
}

export function searchStep(ctx: NetContext, s: ModelState, train: Batch, valid: Batch, h: StepHyper): StepOutput {
  const { net } = ctx;
  const metrics: Record<string, tf.Tensor> = {};
  const trace: Record<string, tf.Tensor | tf.Tensor[]> = {};
  let buffers = s.buffers;
  let passNo = 0;
  const pass: Passer = (W, mix, batch, wantW, wantMix) => {
    const r = runPass(net, ctx.index, W, mix, batch, { wantW, wantMix, noiseSeed: (h.noiseSeed + 104729 * passNo++) >>> 0, trackStats: h.trackStats });
    if (h.trackStats) buffers = updateBuffers(ctx, buffers, r.stats);
    return r;
  };
  const regIdx = net.mixCells.map((c, i) => (c.regularized ? i : -1)).filter((i) => i >= 0);

  let W = s.W, alpha = s.alpha, sgdBuf = s.sgdBuf, adam = s.adam;

  const weightStep = () => {
    const P = alpha.map((a) => tf.softmax(a) as tf.Tensor2D);
    trace.mixing_weights_weight_step = P;
    const mix = perCellMix(net, P);
    const r = pass(W, mix, train, true, true);
    const gU = r.gW!, g = r.gMix!;
    metrics.trainLoss = r.loss;
    metrics.trainAcc = r.acc;
    metrics.cellGradNormsTrain = rowNorms(g);
    Object.assign(trace, { train_logits: r.logits, train_loss: r.loss, cell_grads: g, grads_unregularized: gU });

    // Λ over the regularized cells: logged Λ, direction d, ε (ALGORITHM.md §3).
    // The weight update runs on one flat vector: a handful of kernels instead of several per tensor.
    const gUf = flatten(gU);
    let Gf = gUf;
    if (regIdx.length > 0) {
      const Gm = tf.stack(regIdx.map((i) => tf.reshape(g[i], [-1]))) as tf.Tensor2D;
      const al = alignment(Gm, h.corr);
      metrics.trainCorr = al.corr;
      metrics.trainAlignment = al.alignment;
      metrics.cosTrain = al.cos;
      Object.assign(trace, { train_corr: al.corr, train_alignment: al.alignment });
      if (h.method === 'lambda') {
        const eps = epsilonOf(al.d, h.epsilon0);
        const dRows = tf.unstack(al.d);
        const pert = net.mixCells.map((_, i) => {
          const k = regIdx.indexOf(i);
          return k >= 0 ? (tf.reshape(tf.mul(dRows[k], eps), g[i].shape) as tf.Tensor2D) : (tf.zerosLike(g[i]) as tf.Tensor2D);
        });
        metrics.epsilon = eps;
        Object.assign(trace, { perturbations: pert, epsilon: eps });
        if (h.lambdaE !== 0) {
          // f = ∇ω L(p − εd), b = ∇ω L(p + εd); reg = (f − b)/(2ε) ≈ −∇ω Λ (increases alignment).
          const fw = pass(W, mix.map((m, i) => tf.sub(m, pert[i]) as tf.Tensor2D), train, true, false);
          const bw = pass(W, mix.map((m, i) => tf.add(m, pert[i]) as tf.Tensor2D), train, true, false);
          const reg = tf.mul(tf.sub(flatten(fw.gW!), flatten(bw.gW!)), tf.divNoNan(1, tf.mul(eps, 2)));
          Gf = tf.add(gUf, tf.mul(reg, h.lambdaE));
          metrics.regNorm = tf.mul(tf.norm(reg), h.lambdaE);
          Object.assign(trace, { forward_loss: fw.loss, backward_loss: bw.loss });
          if (h.trace) trace.reg_grads = unflatten(reg, W);
        }
      }
    }
    if (metrics.regNorm) metrics.taskNorm = tf.norm(gUf);
    // Clip after the regularizer; NB201's official norm also counts ∂L_train/∂α.
    let sumSq = tf.sum(tf.square(Gf));
    if (net.clipIncludesAlpha) {
      const ga = alphaGrads(net, P, g);
      trace.alpha_grad_in_clip_norm = ga;
      sumSq = tf.add(sumSq, sumN(ga.map((t) => tf.sum(tf.square(t)))));
    }
    const total = tf.sqrt(sumSq) as tf.Scalar;
    const coef = clipCoef(total, h.gradClip);
    metrics.gradNorm = total;
    Object.assign(trace, { grad_norm_before_clip: total, clip_coef: coef });
    if (h.trace) Object.assign(trace, { grads_before_clip: unflatten(Gf, W), grad_norm_before_clip_weights_only: tf.norm(Gf) });
    const upd = sgdStep([flatten(W)], [tf.mul(Gf, coef)], sgdBuf, h);
    W = unflatten(upd.w[0], W);
    sgdBuf = upd.buf;
    trace.params_after = W;
  };

  const archStep = () => {
    const P = alpha.map((a) => tf.softmax(a) as tf.Tensor2D);
    let gAlpha: tf.Tensor2D[];
    let rv: PassResult;
    if (h.method === 'darts2') {
      // Unrolled DARTS: ω′ = ω − η(μ·buf + ∇ω L_train + wd·ω); dα = ∇α L_val(ω′) − η·(∇α L_train(ω⁺) − ∇α L_train(ω⁻))/(2R).
      const rt = pass(W, perCellMix(net, P), train, true, false);
      const wf = flatten(W);
      const d = tf.add(flatten(rt.gW!), tf.mul(wf, h.weightDecay));
      const Wp = unflatten(tf.sub(wf, tf.mul(sgdBuf ? tf.add(tf.mul(sgdBuf[0], h.momentum), d) : d, h.lr)), W);
      rv = pass(Wp, perCellMix(net, P), valid, true, true);
      const v = flatten(rv.gW!);
      const R = tf.div(h.unrolledR, tf.maximum(tf.norm(v), 1e-30));
      const Wplus = unflatten(tf.add(wf, tf.mul(v, R)), W);
      const Wminus = unflatten(tf.sub(wf, tf.mul(v, R)), W);
      const gp = alphaGrads(net, P, pass(Wplus, perCellMix(net, P), train, false, true).gMix!);
      const gn = alphaGrads(net, P, pass(Wminus, perCellMix(net, P), train, false, true).gMix!);
      const dv = alphaGrads(net, P, rv.gMix!);
      gAlpha = dv.map((d, a) => tf.sub(d, tf.mul(tf.div(tf.sub(gp[a], gn[a]), tf.mul(R, 2)), h.lr)) as tf.Tensor2D);
      metrics.unrolledR = R;
    } else {
      rv = pass(W, perCellMix(net, P), valid, false, true);
      gAlpha = alphaGrads(net, P, rv.gMix!);
    }
    const gv = rv.gMix!;
    metrics.validLoss = rv.loss;
    metrics.validAcc = rv.acc;
    metrics.cellGradNormsValid = rowNorms(gv);
    metrics.votes = votes(net, P, gv);
    if (regIdx.length > 0) {
      const al = alignment(tf.stack(regIdx.map((i) => tf.reshape(gv[i], [-1]))) as tf.Tensor2D, 'corr');
      metrics.validCorr = al.corr;
      metrics.cosValid = al.cos;
      trace.valid_corr = al.corr;
    }
    const upd = adamStep(alpha, gAlpha, adam, h.adam);
    alpha = upd.a as tf.Tensor2D[];
    adam = upd.state;
    Object.assign(trace, { valid_logits: rv.logits, valid_loss: rv.loss, valid_cell_grads: gv, alpha_grads_raw: gAlpha, alpha_grads_with_weight_decay: upd.gWithDecay, alpha_after: alpha });
  };

  if (h.order === 'weights-first') {
    weightStep();
    archStep();
  } else {
    archStep();
    weightStep();
  }
  metrics.softmax = tf.concat(alpha.map((a) => tf.reshape(tf.softmax(a), [-1])));
  trace.buffers_after = buffers;
  return { state: { W, buffers, alpha, sgdBuf, adam }, metrics, trace };
}
