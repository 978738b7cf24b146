/**
 * Named tensors in the fixtures' schema: PyTorch `state_dict` names and layouts, values flat
 * row-major. A state exported here loads into the official PyTorch modules and back.
 */
import * as tf from '@tensorflow/tfjs';
import type { Supernet } from './network';
import { tfShape, tfToTorch, torchToTf } from './params';
import type { ModelState } from './step';

export interface NamedTensor {
  name: string;
  shape: number[];
  values: number[];
}
export interface TensorJson {
  shape: number[];
  values: number[];
}

export interface Checkpoint {
  format: 'lambda-darts-checkpoint/1';
  params: NamedTensor[];
  buffers: NamedTensor[];
  alpha: Record<string, TensorJson>;
  /** Free-form run info (config, step, epoch). */
  meta?: Record<string, unknown>;
  /** Optimizer state (recovery checkpoints: a resumed run continues exactly), tfjs layouts. */
  optimizer?: OptimizerJson;
}

export interface OptimizerJson {
  /** SGD momentum buffers (the step keeps one flat vector over all weights). */
  sgdBuf: TensorJson[] | null;
  /** Adam moments of α and its step count. */
  adam: { m: TensorJson[]; v: TensorJson[]; step: number } | null;
}

/** Reads the state back (one batched readback) into PyTorch names and layouts; `withOptimizer` adds SGD/Adam state. */
export async function exportCheckpoint(net: Supernet, s: ModelState, meta?: Record<string, unknown>, withOptimizer = false): Promise<Checkpoint> {
  const all = tf.tidy(() => tf.concat([...s.W, ...s.buffers, ...s.alpha].map((t) => tf.reshape(t, [-1]))));
  const flat = await all.data();
  all.dispose();
  let off = 0;
  const take = (n: number) => flat.subarray(off, (off += n));
  const params = net.params.map((p, i) => ({ name: p.name, shape: p.torchShape, values: Array.from(tfToTorch(p, take(s.W[i].size))) }));
  const buffers: NamedTensor[] = [];
  net.buffers.forEach((b) => {
    buffers.push({ name: `${b.name}.running_mean`, shape: [b.channels], values: Array.from(take(b.channels)) });
    buffers.push({ name: `${b.name}.running_var`, shape: [b.channels], values: Array.from(take(b.channels)) });
  });
  const alpha: Record<string, TensorJson> = {};
  net.alphas.forEach((a) => (alpha[a.name] = { shape: [a.numEdges, a.numOps], values: Array.from(take(a.numEdges * a.numOps)) }));
  const ck: Checkpoint = { format: 'lambda-darts-checkpoint/1', params, buffers, alpha, meta };
  if (withOptimizer) {
    const json = async (ts: tf.Tensor[]) => Promise.all(ts.map(async (t) => ({ shape: t.shape, values: Array.from(await t.data()) })));
    ck.optimizer = {
      sgdBuf: s.sgdBuf ? await json(s.sgdBuf) : null,
      adam: s.adam ? { m: await json(s.adam.m), v: await json(s.adam.v), step: s.adam.step } : null,
    };
  }
  return ck;
}

/** Optimizer state tensors from a checkpoint's `optimizer` (null parts stay null: a fresh optimizer). */
export function importOptimizer(o: OptimizerJson | undefined): Pick<ModelState, 'sgdBuf' | 'adam'> {
  const ts = (js: TensorJson[]) => js.map((j) => tf.tensor(j.values, j.shape));
  return {
    sgdBuf: o?.sgdBuf ? ts(o.sgdBuf) : null,
    adam: o?.adam ? { m: ts(o.adam.m), v: ts(o.adam.v), step: o.adam.step } : null,
  };
}

/** Builds state tensors from named tensors; throws naming any missing or mis-shaped tensor. */
export function importTensors(
  net: Supernet,
  params: NamedTensor[],
  buffers: NamedTensor[] | undefined,
  alpha: Record<string, TensorJson>,
): Pick<ModelState, 'W' | 'buffers' | 'alpha'> {
  const byName = new Map(params.map((p) => [p.name, p]));
  const bufByName = new Map((buffers ?? []).map((b) => [b.name, b]));
  const check = (name: string, got: number[], want: number[]) => {
    if (got.length !== want.length || got.some((d, i) => d !== want[i])) throw new Error(`${name}: shape [${got}] does not match the supernet's [${want}]`);
  };
  const W = net.params.map((p) => {
    const t = byName.get(p.name);
    if (!t) throw new Error(`checkpoint has no tensor '${p.name}'`);
    check(p.name, t.shape, p.torchShape);
    return tf.tensor(torchToTf(p, t.values), tfShape(p));
  });
  const bufs: tf.Tensor[] = [];
  for (const b of net.buffers) {
    for (const [suffix, init] of [['running_mean', 0], ['running_var', 1]] as const) {
      const t = bufByName.get(`${b.name}.${suffix}`);
      if (t) check(`${b.name}.${suffix}`, t.shape, [b.channels]);
      bufs.push(t ? tf.tensor1d(t.values) : tf.fill([b.channels], init));
    }
  }
  const A = net.alphas.map((a) => {
    const t = alpha[a.name];
    if (!t) throw new Error(`checkpoint has no α tensor '${a.name}'`);
    check(a.name, t.shape, [a.numEdges, a.numOps]);
    return tf.tensor2d(t.values, [a.numEdges, a.numOps]);
  });
  return { W, buffers: bufs, alpha: A };
}
