import { describe, expect, it } from 'vitest';
import type { RunLog } from '../../src/cli/run-log';
import { makeConfig } from '../../src/core/config';
import { buildSupernet } from '../../src/core/supernet';
import { parseRunLogs, historyToRunLog, raceLog, type StepRecord } from '../../src/ui/runlog';
import { History } from '../../src/worker/history';
import { alphasOf, cellsOf, widthsOf } from '../../src/worker/layout';
import type { RaceInfo } from '../../src/worker/protocol';
import { fakeMetrics } from './helpers';

const cfg = makeConfig({ space: 'nb201', C: 2, N: 1, imageSize: 8, batch: 4, epochs: 3 });

function race(): { info: RaceInfo; hs: History[] } {
  const alphas = alphasOf(cfg), cells = cellsOf(cfg);
  const widths = { softmax: 30, gradTrain: 3, gradValid: 3, votes: 90, cosTrain: 9, cosValid: 9 };
  const info: RaceInfo = {
    runs: [{ method: 'darts', label: 'DARTS', config: { ...cfg, method: 'darts' } }, { method: 'lambda', label: 'Λ-DARTS', config: { ...cfg, method: 'lambda' } }],
    dataset: 'MNIST', synthetic: false, datasetNote: '', split: { train: 16, valid: 16, test: 0 }, stepsPerEpoch: 4, totalSteps: 12, alphas, cells, widths,
  };
  const f = (n: number, v: number) => Float32Array.from({ length: n }, (_, i) => v + i / 1000);
  const hs = [0, 1].map((r) => {
    const h = new History(widths);
    for (let s = 0; s < 10; s++) {
      h.appendMetrics(fakeMetrics(s, { softmax: [f(30, s / 100 + r)], cellGradNormsTrain: f(3, 1), cellGradNormsValid: f(3, 2 + s), votes: f(90, -s), cosTrain: f(9, 0.1), cosValid: f(9, 0.2), genotype: `|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|` }));
    }
    return h;
  });
  return { info, hs };
}

describe('run logs', () => {
  it('the layout from a config matches the built supernet, for every space', () => {
    for (const space of ['nb201', 's5', 'darts', 's1', 's2', 's3', 's4'] as const) {
      const c = makeConfig({ space, C: 2, N: 2, layers: 4, imageSize: 8 });
      const net = buildSupernet(c);
      expect(alphasOf(c).map((a) => [a.name, a.numEdges, a.ops])).toEqual(net.alphas.map((a) => [a.name, a.numEdges, a.ops[0]]));
      expect(cellsOf(c)).toEqual(net.mixCells.map((m) => ({ cellIndex: m.cellIndex, type: m.type, alpha: m.alpha, regularized: m.regularized })));
      expect(widthsOf(net).votes).toBe(net.mixCells.length * net.alphas[0].numEdges * net.alphas[0].numOps);
    }
  });

  it('export → import round-trips a race, in the CLI format plus per-step vectors', () => {
    const { info, hs } = race();
    const logs = info.runs.map((r, i) => historyToRunLog(hs[i], info, r, 'webgpu'));
    expect(logs[0].format).toBe('lambda-darts-run/1');
    expect(logs[0].epochs.map((e) => [e.epoch, e.steps])).toEqual([[0, 4], [1, 4], [2, 2]]);
    expect(logs[0].epochs[1].cellGradNorms[0]).toBeCloseTo(2 + 5.5, 4);
    expect((logs[1].steps![3] as StepRecord).softmax![0]).toHaveLength(30);
    const back = parseRunLogs([{ name: 'race.json', text: JSON.stringify(raceLog(logs)) }]);
    expect(back.race.runs.map((r) => r.method)).toEqual(['darts', 'lambda']);
    expect(back.race.widths).toEqual(info.widths);
    for (let r = 0; r < 2; r++) {
      expect(back.histories[r].length).toBe(10);
      expect(Array.from(back.histories[r].column('trainLoss'))).toEqual(Array.from(hs[r].column('trainLoss'), (x) => +x.toPrecision(6)));
      for (const k of ['softmax', 'votes', 'gradValid', 'cosValid'] as const) {
        const a = back.histories[r].vector(k, 7), b = hs[r].vector(k, 7);
        for (let j = 0; j < a.length; j++) expect(a[j]).toBeCloseTo(b[j], 4);
      }
      expect(back.histories[r].genotype(9)).toBe(hs[r].genotype(9));
    }
  });

  it('imports a CLI log without per-step records (one row per epoch) and rejects other JSON', () => {
    const { info, hs } = race();
    const log: RunLog = historyToRunLog(hs[0], info, info.runs[0], 'cpu');
    delete log.steps;
    const back = parseRunLogs([{ name: 'cli.json', text: JSON.stringify(log) }]);
    expect(back.histories[0].length).toBe(3);
    expect(Array.from(back.histories[0].column('step'))).toEqual([3, 7, 9]);
    expect(back.histories[0].vector('softmax', 0)[0]).toBeCloseTo(0.03, 5);
    expect(() => parseRunLogs([{ name: 'x.json', text: '{"a":1}' }])).toThrow(/not a run log/);
    expect(() => parseRunLogs([{ name: 'x.json', text: 'nope' }])).toThrow(/not JSON/);
  });
});
