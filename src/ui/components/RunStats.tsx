import type { ScalarKey } from '../../worker/history';
import { fmt, pct, sig } from '../format';
import type { ChartStore } from '../store';

const ROWS: [string, ScalarKey, (x: number) => string, string?][] = [
  ['Train loss', 'trainLoss', (x) => fmt(x)], ['Valid loss', 'validLoss', (x) => fmt(x)],
  ['Train acc', 'trainAcc', pct, 'weights’ half of the data'], ['Valid acc', 'validAcc', pct, 'α’s half of the data'],
  ['Λ train', 'trainCorr', (x) => fmt(x), 'mean pairwise cosine of the per-cell gradients, weight step'],
  ['Λ valid', 'validCorr', (x) => fmt(x), 'the same on the α step'],
  ['λₑ', 'lambdaE', sig, 'regularization strength this epoch (ramped from 0)'], ['ε', 'epsilon', sig, 'finite-difference step ε0/‖d‖'],
  ['reg / task', 'regRatio', sig, '‖λₑ·reg‖ / ‖∇ω L‖ before clipping: how much the regularizer dominates the weight step'],
  ['lr', 'lr', sig, 'weight learning rate (cosine)'], ['α lr', 'archLr', sig],
  ['ms / step', 'ms', (x) => fmt(x, 0)],
];

/** The shown row's scalar metrics of one run, as text (re-rendered with the progress tick). */
export function RunStats({ store, run }: { store: ChartStore; run: number }) {
  const h = store.runs[run]?.history;
  const row = store.rowOf(run);
  return (
    <dl className="stats" data-testid={`stats-${run}`}>
      {ROWS.map(([label, key, f, title]) => (
        <div key={key} title={title}>
          <dt>{label}</dt>
          <dd data-testid={`${key}-${run}`}>{h && row >= 0 ? f(h.get(key, row)) : '—'}</dd>
        </div>
      ))}
    </dl>
  );
}
