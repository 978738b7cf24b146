import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { countParams, parseGenotypeText } from '../../src/eval/discrete';
import { buildDiscreteNet, Retrainer } from '../../src/eval/retrain';
import { ALL_SKIP, BEST_C10, DARTS_V2, tinyRetrainData, useCpu } from './helpers';

const cifar = { numClasses: 10, channels: 3, imageSize: 32 };
const net = (g: string, o: Partial<{ C: number; N: number; layers: number; auxiliary: boolean; auxWidths: [number, number] }>, d = cifar) =>
  buildDiscreteNet(g, { C: 16, N: 5, layers: 20, auxiliary: false, auxWidths: [128, 768], ...o }, d);

describe('parameter counts', () => {
  it('NB201 TinyNetwork at C=16, N=5: 0.073306 M (parameter-free cells) to 1.531546 M (all nor_conv_3x3), NB201’s min and max', () => {
    expect(countParams(net(ALL_SKIP, {}))).toBe(73306);
    expect(countParams(net('|none~0|+|avg_pool_3x3~0|none~1|+|none~0|none~1|avg_pool_3x3~2|', {}))).toBe(73306);
    const conv3 = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|';
    expect(countParams(net(conv3, {}))).toBe(1531546);
    // by hand: skeleton 73,306 = stem 3·16·9+32, ResNet blocks 16→32 (4608+64+9216+64+512) and 32→64
    // (18432+128+36864+128+2048), last BN 128, classifier 64·10+10; one 3×3 edge adds C²·9 + 2C per cell.
    const perEdge = (C: number, k: number) => C * C * k * k + 2 * C;
    expect(countParams(net(BEST_C10, {}))).toBe(73306 + 5 * [16, 32, 64].reduce((a, C) => a + 4 * perEdge(C, 3) + perEdge(C, 1), 0));
  });

  it('NB201 tiny case by hand: C=2, N=1, 3 classes, all nor_conv_1x1', () => {
    const g = '|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_1x1~1|nor_conv_1x1~2|';
    // stem 54+4; cells 6·(C²+2C) at C=2,4,8: 48, 144, 480; ResNet 2→4: 72+8+144+8+8; 4→8: 288+16+576+16+32; BN 16; linear 8·3+3
    expect(countParams(net(g, { C: 2, N: 1 }, { numClasses: 3, channels: 3, imageSize: 8 }))).toBe(58 + 48 + 144 + 480 + 240 + 928 + 16 + 27);
  });

  it('DARTS NetworkCIFAR: DARTS_V2 at C=36, 20 layers has 3,349,342 parameters (DARTS’s "param size = 3.349342MB")', () => {
    const n = net(DARTS_V2, { C: 36, layers: 20, auxiliary: true });
    expect(countParams(n)).toBe(3349342);
    // AuxiliaryHeadCIFAR on 576 channels: 576·128 + 256 + 128·768·4 + 1536 + 768·10 + 10
    expect(countParams(n, true) - countParams(n)).toBe(576 * 128 + 256 + 128 * 768 * 4 + 1536 + 7690);
  });

  it('DARTS tiny case by hand: C=2, 3 layers (reductions at 1 and 2)', () => {
    const g = "Genotype(normal=[('skip_connect', 0), ('skip_connect', 1), ('skip_connect', 0), ('skip_connect', 1), ('skip_connect', 0), ('skip_connect', 1), ('skip_connect', 0), ('skip_connect', 1)], normal_concat=[2, 3, 4, 5], " +
      "reduce=[('skip_connect', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";
    const n = net(g, { C: 2, layers: 3, auxiliary: true, auxWidths: [4, 6] }, { numClasses: 10, channels: 3, imageSize: 8 });
    const stem = 3 * 6 * 9 + 12;
    const cell0 = 2 * (6 * 2 + 4); // two ReLUConvBN 6→2
    const cell1 = 6 * 4 + 8 + (8 * 4 + 8) + (2 * 4 * 2 + 8); // pre0 6→4, pre1 8→4, skip stride 2 = FactorizedReduce(4,4)
    const cell2 = (2 * 8 * 4 + 16) + (16 * 8 + 16) + (2 * 8 * 4 + 16); // pre0 FactorizedReduce 8→8, pre1 16→8, FactorizedReduce(8,8)
    const cls = 32 * 10 + 10;
    expect(countParams(n)).toBe(stem + cell0 + cell1 + cell2 + cls);
    // aux head after cell 2 (32 channels at 2×2): conv 32→4 + BN, conv 1×1 (pooled to 1×1) 4→6 + BN, linear 6→10
    expect(countParams(n, true)).toBe(stem + cell0 + cell1 + cell2 + cls + (128 + 8) + (24 + 12) + 70);
  });

  it('rejects malformed genotypes with a clear message', () => {
    expect(() => parseGenotypeText("Genotype(normal=[('sep_conv_3x3', 0)], normal_concat=[2], reduce=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], reduce_concat=[2])")).toThrow(/normal: expected 2 \(op, input\) pairs per node/);
    expect(() => parseGenotypeText("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 3)], normal_concat=[2], reduce=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], reduce_concat=[2])")).toThrow(/node 2 cannot read state 3/);
    expect(() => parseGenotypeText("Genotype(normal=[('conv_7x7', 0), ('sep_conv_3x3', 1)], normal_concat=[2], reduce=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], reduce_concat=[2])")).toThrow(/unknown op 'conv_7x7'/);
    expect(() => parseGenotypeText('|nor_conv_3x3~0|+|bad|')).toThrow(/3 groups/);
    expect(() => parseGenotypeText('resnet')).toThrow(/'resnet' is neither an NB201 arch string .* nor a DARTS Genotype/);
  });
});

describe('forward passes', () => {
  beforeAll(useCpu);

  it('eval mode uses BN running statistics: an image’s logits do not depend on its batch', async () => {
    const data = tinyRetrainData(0);
    const r = new Retrainer(BEST_C10, data, { C: 2, N: 1, epochs: 1, seed: 1 });
    for (let i = 0; i < 2; i++) await r.step();
    const b = data.test.next();
    const [alone, inBatch, train] = tf.tidy(() => {
      const x1 = tf.slice(b.x, [0, 0, 0, 0], [1, -1, -1, -1]);
      return [r.logits(x1), tf.slice(r.logits(b.x), [0, 0], [1, -1]), tf.slice(r.logits(b.x, 'train'), [0, 0], [1, -1])];
    });
    const [a, c, t] = await Promise.all([alone.data(), inBatch.data(), train.data()]);
    for (let k = 0; k < a.length; k++) expect(a[k]).toBeCloseTo(c[k], 4);
    expect(Math.max(...Array.from(a, (v, k) => Math.abs(v - t[k])))).toBeGreaterThan(1e-3); // training mode differs
    tf.dispose([alone, inBatch, train, b.x, b.y]);
    r.dispose();
  });

  it('the DARTS network trains with drop-path, auxiliary head and cutout, and stays finite', async () => {
    const data = tinyRetrainData(1, { augment: true, cutout: 4 });
    const r = new Retrainer(DARTS_V2, data, { C: 2, layers: 3, epochs: 2, auxiliary: true, auxWidths: [4, 6], dropPath: 0.3, seed: 2 });
    expect(r.net.hasAux).toBe(true);
    const losses: number[] = [];
    while (!r.done) losses.push((await r.step()).loss);
    expect(losses).toHaveLength(8);
    expect(losses.every(Number.isFinite)).toBe(true);
    const ev = await r.evaluate();
    expect(ev.n).toBe(16);
    expect(ev.acc).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(ev.loss)).toBe(true);
    r.dispose();
  });
});
