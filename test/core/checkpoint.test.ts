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
});
