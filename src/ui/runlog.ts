/**
 * Run logs in the CLI's format (src/cli/run-log.ts, `lambda-darts-run/1`) from a run's history,
 * with per-step records extended by the vectors the charts need (softmax, ‖g^ℓ‖, votes, cosines);
 * a race is `{format: 'lambda-darts-race/1', runs: [RunLog, …]}`. Parsing accepts either, or CLI
 * logs (with or without `--log-steps`), and rebuilds histories for replay.
 */
import type { EpochRecord, RunLog, stepRecord } from '../cli/run-log';
import { makeConfig, type RunConfig } from '../core/config';
import { History, SCALAR_KEYS, type HistoryWidths, type ScalarKey, type VectorKey } from '../worker/history';
import { alphasOf, cellsOf } from '../worker/layout';
import { METHOD_LABEL, type RaceInfo, type RunInfo } from '../worker/protocol';

export type StepRecord = ReturnType<typeof stepRecord> & {
  paramFreeCount?: number;
  archLr?: number;
  ms?: number;
  softmax?: number[][];
  cellGradNormsTrain?: number[];
  cellGradNormsValid?: number[];
  votes?: number[];
  cosTrain?: number[];
  cosValid?: number[];
};

export interface RaceLog {
  format: 'lambda-darts-race/1';
  runs: RunLog[];
}

const r6 = (x: number) => (Number.isFinite(x) ? +x.toPrecision(6) : null) as number;
const list = (a: ArrayLike<number>) => Array.from(a, r6);

/** Splits a flat softmax row into one list per α. */
function perAlpha(row: ArrayLike<number>, race: RaceInfo): number[][] {
  let o = 0;
  return race.alphas.map((a) => list(Array.prototype.slice.call(row, o, (o += a.numEdges * a.ops.length)) as number[]));
}

export function historyToRunLog(h: History, race: RaceInfo, run: RunInfo, backend: string): RunLog {
  const steps: StepRecord[] = [];
  for (let i = 0; i < h.length; i++) {
    const g = (k: ScalarKey) => r6(h.get(k, i));
    steps.push({
      step: g('step'), epoch: g('epoch'), trainLoss: g('trainLoss'), trainAcc: g('trainAcc'), validLoss: g('validLoss'), validAcc: g('validAcc'),
      trainCorr: g('trainCorr'), validCorr: g('validCorr'), epsilon: g('epsilon'), lambdaE: g('lambdaE'), lr: g('lr'), regRatio: g('regRatio'),
      skipCount: g('skipCount'), genotype: h.genotype(i),
      paramFreeCount: g('paramFreeCount'), archLr: g('archLr'), ms: g('ms'),
      softmax: perAlpha(h.vector('softmax', i), race),
      cellGradNormsTrain: list(h.vector('gradTrain', i)), cellGradNormsValid: list(h.vector('gradValid', i)),
      votes: list(h.vector('votes', i)), cosTrain: list(h.vector('cosTrain', i)), cosValid: list(h.vector('cosValid', i)),
    });
  }
  const epochs: EpochRecord[] = [];
  let wall = 0;
  for (let a = 0; a < h.length; ) {
    const e = h.get('epoch', a);
    let b = a;
    while (b < h.length && h.get('epoch', b) === e) b++;
    const mean = (k: ScalarKey) => { let s = 0; for (let i = a; i < b; i++) s += h.get(k, i); return r6(s / (b - a)); };
    for (let i = a; i < b; i++) wall += h.get('ms', i) / 1000;
    const L = h.widths.gradValid;
    epochs.push({
      epoch: e, steps: b - a, trainLoss: mean('trainLoss'), trainAcc: mean('trainAcc'), validLoss: mean('validLoss'), validAcc: mean('validAcc'),
      trainCorr: mean('trainCorr'), validCorr: mean('validCorr'), epsilon: mean('epsilon'), lambdaE: r6(h.get('lambdaE', b - 1)), lr: r6(h.get('lr', b - 1)),
      regRatio: mean('regRatio'), genotype: h.genotype(b - 1), skipCount: h.get('skipCount', b - 1), paramFreeCount: h.get('paramFreeCount', b - 1),
      softmax: perAlpha(h.vector('softmax', b - 1), race),
      cellGradNorms: Array.from({ length: L }, (_, l) => { let s = 0; for (let i = a; i < b; i++) s += h.vector('gradValid', i)[l]; return r6(s / (b - a)); }),
      wallS: +wall.toFixed(3),
    });
    a = b;
  }
  const last = h.length - 1;
  return {
    format: 'lambda-darts-run/1', config: run.config,
    dataset: { spec: run.config.dataset, name: race.dataset, synthetic: race.synthetic, ...race.split },
    backend, stepsPerEpoch: race.stepsPerEpoch, epochs, steps,
    final: {
      genotype: last >= 0 ? h.genotype(last) : '', skipCount: h.get('skipCount', last), paramFreeCount: h.get('paramFreeCount', last),
      trainCorr: h.get('trainCorr', last), validCorr: h.get('validCorr', last),
    },
    wallS: +wall.toFixed(3),
  };
}

export function raceLog(logs: RunLog[]): RaceLog {
  return { format: 'lambda-darts-race/1', runs: logs };
}

/** Run logs in a parsed JSON value: a race log, a run log, or an array of run logs. */
function runLogsOf(v: unknown, name: string): RunLog[] {
  const o = v as { format?: string; runs?: unknown };
  if (Array.isArray(v)) return v.flatMap((x) => runLogsOf(x, name));
  if (o?.format === 'lambda-darts-race/1' && Array.isArray(o.runs)) return o.runs.flatMap((x) => runLogsOf(x, name));
  if (o?.format === 'lambda-darts-run/1') {
    const l = v as RunLog;
    if (!l.config || !Array.isArray(l.epochs)) throw new Error(`${name}: run log without config or epochs`);
    return [l];
  }
  throw new Error(`${name}: not a run log (expected format lambda-darts-run/1 or lambda-darts-race/1, got ${JSON.stringify(o?.format ?? typeof v)})`);
}

/** Histories and a race description for replaying logs (at most two runs, same space and sizes). */
export function parseRunLogs(files: { name: string; text: string }[]): { race: RaceInfo; histories: History[] } {
  const logs = files.flatMap((f) => {
    let v: unknown;
    try {
      v = JSON.parse(f.text);
    } catch (e) {
      throw new Error(`${f.name} is not JSON: ${(e as Error).message}`);
    }
    return runLogsOf(v, f.name);
  });
  if (logs.length === 0) throw new Error('no runs in the log');
  if (logs.length > 2) throw new Error(`${logs.length} runs in the logs: the page replays one or two side by side`);
  const configs: RunConfig[] = logs.map((l) => makeConfig({ ...l.config }));
  const c0 = configs[0];
  if (configs.some((c) => c.space !== c0.space || c.steps !== c0.steps || c.ops !== c0.ops)) throw new Error('the logs are from different search spaces');
  const alphas = alphasOf(c0);
  const L = logs[0].epochs[0]?.cellGradNorms?.length ?? cellsOf(c0).length;
  const cellsFull = cellsOf(c0);
  const cells = cellsFull.length === L ? cellsFull : Array.from({ length: L }, (_, i) => ({ cellIndex: i, type: 'normal' as const, alpha: 0, regularized: true }));
  const ek = alphas[0].numEdges * alphas[0].ops.length;
  const lr = cells.filter((c) => c.regularized).length;
  const widths: HistoryWidths = { softmax: alphas.length * ek, gradTrain: L, gradValid: L, votes: L * ek, cosTrain: lr * lr, cosValid: lr * lr };
  const histories = logs.map((l) => logHistory(l, widths));
  const l0 = logs[0];
  const race: RaceInfo = {
    runs: logs.map((_, i): RunInfo => ({ method: configs[i].method, label: METHOD_LABEL[configs[i].method] ?? configs[i].method, config: configs[i] })),
    dataset: l0.dataset?.name ?? '?', synthetic: !!l0.dataset?.synthetic, datasetNote: '',
    split: { train: l0.dataset?.train ?? 0, valid: l0.dataset?.valid ?? 0, test: l0.dataset?.test ?? 0 },
    stepsPerEpoch: l0.stepsPerEpoch, totalSteps: l0.stepsPerEpoch * c0.epochs, alphas, cells, widths,
  };
  return { race, histories };
}

/** One history row per step record (or per epoch when the log has no steps). */
function logHistory(l: RunLog, widths: HistoryWidths): History {
  const h = new History(widths);
  const byEpoch = new Map(l.epochs.map((e) => [e.epoch, e]));
  const recs: StepRecord[] = (l.steps as StepRecord[] | undefined)?.length ? (l.steps as StepRecord[]) : epochRows(l);
  const one = new History(widths, 1);
  for (const s of recs) {
    const e = byEpoch.get(s.epoch);
    const vec = (k: VectorKey, v: ArrayLike<number> | undefined): Float32Array => {
      const out = new Float32Array(widths[k]).fill(NaN);
      if (v) out.set(Array.from(v).slice(0, widths[k]).map((x) => (x === null ? NaN : x)));
      return out;
    };
    const scal = SCALAR_KEYS.map((k) => {
      const v = (s as unknown as Record<string, number | undefined>)[k];
      if (typeof v === 'number') return v;
      if (k === 'archLr') return l.config.archLr;
      if (k === 'paramFreeCount') return e?.paramFreeCount ?? NaN;
      return NaN;
    });
    one.truncate(0);
    one.appendRows({
      from: 0, count: 1, scalars: Float64Array.from(scal, (x) => (x === null ? NaN : x)), genotypes: [s.genotype],
      vectors: {
        softmax: vec('softmax', (s.softmax ?? e?.softmax)?.flat()), gradTrain: vec('gradTrain', s.cellGradNormsTrain),
        gradValid: vec('gradValid', s.cellGradNormsValid ?? e?.cellGradNorms), votes: vec('votes', s.votes),
        cosTrain: vec('cosTrain', s.cosTrain), cosValid: vec('cosValid', s.cosValid),
      },
    });
    h.appendRows({ ...one.rows(0), from: h.length });
  }
  return h;
}

/** Step-like records from epoch records (a CLI log without --log-steps). */
function epochRows(l: RunLog): StepRecord[] {
  let step = 0, wall = 0;
  return l.epochs.map((e) => {
    step += e.steps;
    const ms = ((e.wallS - wall) * 1000) / Math.max(1, e.steps); // wallS is cumulative
    wall = e.wallS;
    return {
      step: step - 1, epoch: e.epoch, trainLoss: e.trainLoss, trainAcc: e.trainAcc, validLoss: e.validLoss, validAcc: e.validAcc,
      trainCorr: e.trainCorr, validCorr: e.validCorr, epsilon: e.epsilon, lambdaE: e.lambdaE, lr: e.lr, regRatio: e.regRatio,
      skipCount: e.skipCount, genotype: e.genotype, paramFreeCount: e.paramFreeCount, ms,
    };
  });
}
