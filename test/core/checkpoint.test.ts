import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportCheckpoint, importTensors } from '../../src/core/checkpoint';
import { fixtureConfig } from '../../src/core/fixture';
import { buildSupernet } from '../../src/core/supernet';
import { Search } from '../../src/core/search';
import { loadFixture, tinyData, useCpu } from './helpers';

describe('checkpoints in PyTorch state_dict names and layouts', () => {
  beforeAll(useCpu);
  it.each(['nb201-c4n1-seed0.json', 'darts-s5-c4l5-seed0.json'])('round-trips the fixture %s state exactly', async (file) => {
    const fx = loadFixture(file);
    const { cfg, space } = fixtureConfig(fx);
    const net = buildSupernet(cfg, space);
    expect(net.params.map((p) => p.name)).toEqual(fx.params.map((p: { name: string }) => p.name));
    expect(net.params.map((p) => p.torchShape)).toEqual(fx.params.map((p: { shape: number[] }) => p.shape));
    const st = importTensors(net, fx.params, fx.buffers, fx.alpha);
    const ck = await exportCheckpoint(net, { ...st, sgdBuf: null, adam: null });
    ck.params.forEach((p, i) => expect(p.values).toEqual(fx.params[i].values.map(Math.fround)));
    expect(ck.buffers.map((b) => b.name)).toEqual(fx.buffers.map((b: { name: string }) => b.name));
    for (const [k, v] of Object.entries(fx.alpha as Record<string, { values: number[] }>)) expect(ck.alpha[k].values).toEqual(v.values.map(Math.fround));
    tf.dispose([...st.W, ...st.buffers, ...st.alpha]);
  });
  it('a search exports and re-imports its state; missing or mis-shaped tensors are named', async () => {
    const s = new Search({ C: 2, batch: 4 }, tinyData(0));
    await s.step();
    const ck = await s.exportCheckpoint();
    const t = new Search({ C: 2, batch: 4, seed: 9 }, tinyData(0));
    t.importCheckpoint(ck);
    expect((await t.exportCheckpoint()).params).toEqual(ck.params);
    expect(await t.softmax()).toEqual(await s.softmax());
    const bad = { ...ck, params: ck.params.slice(1) };
    expect(() => t.importCheckpoint(bad)).toThrow(/stem\.0\.weight/);
    const bad2 = { ...ck, params: ck.params.map((p, i) => (i === 0 ? { ...p, shape: [1, 2, 3, 4] } : p)) };
    expect(() => t.importCheckpoint(bad2)).toThrow(/stem\.0\.weight: shape/);
    s.dispose();
    t.dispose();
  });
  it('a recovery checkpoint carries the SGD momentum and Adam state: the resumed run takes the same next step', async () => {
    const cfg = { C: 2, batch: 4, method: 'lambda' as const, lambdaRamp: false };
    const s = new Search(cfg, tinyData(0));
    for (let i = 0; i < 3; i++) await s.step();
    const ck = await s.exportCheckpoint({ optimizer: true });
    expect(ck.optimizer?.sgdBuf?.length).toBe(1);
    expect(ck.optimizer?.adam?.step).toBe(3);
    expect((await s.exportCheckpoint()).optimizer).toBeUndefined(); // user exports stay plain state_dicts
    // a fresh search on a data stream at the same position (3 batches consumed)
    const data = tinyData(0);
    for (let i = 0; i < 3; i++) for (const b of [data.train.next(), data.valid.next()]) tf.dispose([b.x, b.y]);
    const t = new Search({ ...cfg, seed: 9 }, data);
    t.importCheckpoint(ck);
    const [ms, mt] = [await s.step(), await t.step()];
    expect(mt.trainLoss).toBe(ms.trainLoss);
    expect((await t.exportCheckpoint()).params).toEqual((await s.exportCheckpoint()).params);
    expect(await t.softmax()).toEqual(await s.softmax());
    // without the optimizer state the same step differs (momentum and Adam restart)
    const data2 = tinyData(0);
    for (let i = 0; i < 3; i++) for (const b of [data2.train.next(), data2.valid.next()]) tf.dispose([b.x, b.y]);
    const u = new Search({ ...cfg, seed: 9 }, data2);
    u.importCheckpoint({ ...ck, optimizer: undefined });
    await u.step();
    expect(await u.softmax()).not.toEqual(await t.softmax());
    s.dispose();
    t.dispose();
    u.dispose();
  });
});
