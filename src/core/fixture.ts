/**
 * Runs one search step from a golden-fixture JSON (fixtures README §1–2) and returns the
 * quantities of its `expected` object, under the fixture's PyTorch names and layouts.
 */
import * as tf from '@tensorflow/tfjs';
import { makeConfig, type CorrType, type RunConfig } from './config';
import { importTensors, type NamedTensor, type TensorJson } from './checkpoint';
import { deriveDarts, deriveNb201, nb201ToString } from './genotype';
import type { Supernet } from './network';
import { tfToTorch } from './params';
import { customSpace, makeSpace, type OpName, type SearchSpace, type SpaceName } from './spaces';
import { netContext, searchStep, type ModelState, type StepHyper } from './step';
import { buildSupernet } from './supernet';
import type { Batch } from '../data/types';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Fixture = any;

/** The run config and space a fixture describes. */
export function fixtureConfig(fx: Fixture): { cfg: RunConfig; space: SearchSpace; hyper: Omit<StepHyper, 'noiseSeed' | 'trackStats'> } {
  const c = fx.config;
  const isNb = c.space === 'nb201';
  const name: SpaceName = isNb ? 'nb201' : (['s1', 's2', 's3', 's4', 's5'].includes(c.search_space_name) ? c.search_space_name : 'darts');
  const steps = c.steps ?? 4;
  const numEdges = c.num_edges ?? (isNb ? 6 : (steps * (steps + 3)) / 2);
  let space: SearchSpace;
  if (Array.isArray(c.ops) && Array.isArray(c.ops[0])) {
    space = { ...makeSpace(name, steps), numEdges, normal: c.ops as OpName[][], reduce: (c.ops_reduce ?? c.ops) as OpName[][] };
  } else if (c.ops && typeof c.ops === 'object' && !Array.isArray(c.ops)) {
    space = { ...makeSpace(name, steps), numEdges, normal: c.ops.normal, reduce: c.ops.reduce ?? c.ops.normal };
  } else {
    space = customSpace(name, c.ops, numEdges);
  }
  const regularizedCells: number[] | undefined = fx.network?.regularized_cells;
  const reductions: number[] = c.reduction_cell_indices ?? [];
  const regularizeReduce = !isNb && !!regularizedCells?.some((i: number) => reductions.includes(i));
  const order = /arch step first|architecture step first|alpha step first/i.test(c.step_order ?? '') ? 'arch-first' : isNb ? 'weights-first' : 'arch-first';
  const [inCh, H] = c.input_shape;
  const cfg = makeConfig({
    space: name, method: 'lambda', C: c.C, N: c.N ?? 1, layers: c.layers ?? 5, steps, multiplier: c.multiplier ?? 4,
    stemMultiplier: c.stem_multiplier ?? 3, classes: c.num_classes, inChannels: inCh, imageSize: H, batch: c.batch_train,
    seed: c.seed ?? 0, lambda: c.lambda_e, epsilon0: c.epsilon_0, corr: c.corr_type as CorrType, regularizeReduce,
    stepOrder: order, lr: c.sgd.lr, momentum: c.sgd.momentum, weightDecay: c.sgd.weight_decay, gradClip: c.grad_clip.max_norm,
    archLr: c.adam.lr, archBeta1: c.adam.betas[0], archBeta2: c.adam.betas[1], archWeightDecay: c.adam.weight_decay,
    lrMin: Math.min(c.sgd.lr, 0.001),
  });
  const hyper = {
    method: 'lambda' as const, order: order as StepHyper['order'], lr: c.sgd.lr, momentum: c.sgd.momentum, weightDecay: c.sgd.weight_decay,
    gradClip: c.grad_clip.max_norm, adam: { lr: c.adam.lr, beta1: c.adam.betas[0], beta2: c.adam.betas[1], eps: c.adam.eps ?? 1e-8, weightDecay: c.adam.weight_decay },
    lambdaE: c.lambda_e, epsilon0: c.epsilon_0, corr: c.corr_type as CorrType, unrolledR: 0.01,
  };
  return { cfg, space, hyper };
}

/** NCHW fixture input → NHWC batch. */
function batchOf(inp: { x: TensorJson; y: TensorJson }): Batch {
  const [B, C, H, W] = inp.x.shape;
  return tf.tidy(() => ({
    x: tf.transpose(tf.tensor4d(Float32Array.from(inp.x.values), [B, C, H, W]), [0, 2, 3, 1]) as tf.Tensor4D,
    y: tf.tensor1d(inp.y.values, 'int32'),
  }));
}

const tj = (shape: number[], values: ArrayLike<number>): TensorJson => ({ shape, values: Array.from(values) });

/** Runs the fixture's step on the current tfjs backend; returns the `expected`-shaped object. */
export async function runFixtureStep(fx: Fixture): Promise<Record<string, unknown>> {
  const { cfg, space, hyper } = fixtureConfig(fx);
  const net: Supernet = buildSupernet(cfg, space);
  const loaded = importTensors(net, fx.params as NamedTensor[], fx.buffers as NamedTensor[], fx.alpha);
  const state: ModelState = { ...loaded, sgdBuf: null, adam: null };
  const train = batchOf(fx.inputs.train);
  const valid = batchOf(fx.inputs.valid);
  const ctx = netContext(net);
  const out = tf.tidy(() => searchStep(ctx, state, train, valid, { ...hyper, noiseSeed: cfg.seed, trackStats: true, trace: true }).trace);

  // One readback of everything, then slice on the CPU.
  const order = Object.keys(out);
  const flatList: tf.Tensor[] = order.flatMap((k) => (Array.isArray(out[k]) ? (out[k] as tf.Tensor[]) : [out[k] as tf.Tensor]));
  const all = tf.tidy(() => tf.concat(flatList.map((t) => tf.reshape(t, [-1]))));
  const flat = (await all.data()) as Float32Array;
  let off = 0;
  const values = new Map<string, Float32Array[]>();
  for (const k of order) {
    const ts = Array.isArray(out[k]) ? (out[k] as tf.Tensor[]) : [out[k] as tf.Tensor];
    values.set(k, ts.map((t) => flat.slice(off, (off += t.size))));
  }
  const shapes = new Map(order.map((k) => [k, (Array.isArray(out[k]) ? (out[k] as tf.Tensor[]) : [out[k] as tf.Tensor]).map((t) => t.shape)]));
  tf.dispose([all, out as never, state as never, train as never, valid as never]);

  const scalar = (k: string) => (values.has(k) ? values.get(k)![0][0] : undefined);
  const perParam = (k: string) => {
    if (!values.has(k)) return undefined;
    const o: Record<string, TensorJson> = {};
    net.params.forEach((p, i) => (o[p.name] = tj(p.torchShape, tfToTorch(p, values.get(k)![i]))));
    return o;
  };
  const perAlpha = (k: string) => {
    if (!values.has(k)) return undefined;
    const o: Record<string, TensorJson> = {};
    net.alphas.forEach((a, i) => (o[a.name] = tj([a.numEdges, a.numOps], values.get(k)![i])));
    return o;
  };
  const perCell = (k: string) => values.get(k)?.map((v) => tj([v.length], v));
  const logits = (k: string) => (values.has(k) ? tj(shapes.get(k)![0], values.get(k)![0]) : undefined);
  const buffersAfter: Record<string, TensorJson> = {};
  const bv = values.get('buffers_after')!;
  net.buffers.forEach((b, i) => {
    buffersAfter[`${b.name}.running_mean`] = tj([b.channels], bv[2 * i]);
    buffersAfter[`${b.name}.running_var`] = tj([b.channels], bv[2 * i + 1]);
  });

  const alphaAfter = values.get('alpha_after')!;
  const res: Record<string, unknown> = {
    mixing_weights_weight_step: perAlpha('mixing_weights_weight_step'),
    train_logits: logits('train_logits'),
    train_loss: scalar('train_loss'),
    cell_grads: perCell('cell_grads'),
    train_corr: scalar('train_corr'),
    train_alignment: scalar('train_alignment'),
    perturbations: perCell('perturbations'),
    epsilon: scalar('epsilon'),
    forward_loss: scalar('forward_loss'),
    backward_loss: scalar('backward_loss'),
    reg_grads: perParam('reg_grads'),
    grads_unregularized: perParam('grads_unregularized'),
    grads_before_clip: perParam('grads_before_clip'),
    alpha_grad_in_clip_norm: perAlpha('alpha_grad_in_clip_norm'),
    grad_norm_before_clip: scalar('grad_norm_before_clip'),
    grad_norm_before_clip_weights_only: scalar('grad_norm_before_clip_weights_only'),
    clip_coef: scalar('clip_coef'),
    params_after: perParam('params_after'),
    valid_logits: logits('valid_logits'),
    valid_loss: scalar('valid_loss'),
    alpha_grads: { raw: perAlpha('alpha_grads_raw'), with_weight_decay: perAlpha('alpha_grads_with_weight_decay') },
    alpha_after: perAlpha('alpha_after'),
    valid_corr: scalar('valid_corr'),
    valid_cell_grads: perCell('valid_cell_grads'),
    buffers_after: buffersAfter,
  };
  if (space.macro === 'nb201') {
    res.arch_after = nb201ToString(deriveNb201(alphaAfter[0], net.alphas[0]));
  } else {
    const soft = (a: Float32Array, K: number) => {
      const o = new Float32Array(a.length);
      for (let r = 0; r < a.length / K; r++) {
        let m = -Infinity, z = 0;
        for (let k = 0; k < K; k++) m = Math.max(m, a[r * K + k]);
        for (let k = 0; k < K; k++) z += Math.exp(a[r * K + k] - m);
        for (let k = 0; k < K; k++) o[r * K + k] = Math.exp(a[r * K + k] - m) / z;
      }
      return o;
    };
    res.genotype_after = deriveDarts(soft(alphaAfter[0], net.alphas[0].numOps), soft(alphaAfter[1], net.alphas[1].numOps), net.alphas, cfg.steps, cfg.multiplier);
  }
  // Keep only the keys the fixture has.
  const expected = fx.expected ?? {};
  const want = Object.keys(expected).length > 0 ? new Set(Object.keys(expected)) : null;
  for (const k of Object.keys(res)) if (res[k] === undefined || (want && !want.has(k))) delete res[k];
  return res;
}
