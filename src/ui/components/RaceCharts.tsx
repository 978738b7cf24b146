import { linesSpec } from '../charts';
import type { ChartStore } from '../store';
import { ChartCard } from './ChartCard';

const DASH = [5, 4];
const pctFmt = (v: number) => `${Math.round(100 * v)}%`;

/** The race at a glance, on shared time axes: skip count, alignment Λ, train vs valid accuracy. */
export function KeyCharts({ store, exportable }: { store: ChartStore; exportable: boolean }) {
  return (
    <section className="race-charts key" aria-label="The race over time">
      <div className="chart-grid">
        <ChartCard store={store} title="Skip connections (dashed: all parameter-free)" file="skip-count" exportable={exportable} testid="chart-skip"
          spec={() => linesSpec(store, [{ key: 'skipCount', label: 'skip' }, { key: 'paramFreeCount', label: 'param-free', dash: DASH }], { yFormat: (v) => String(v), height: 170 })} />
        <ChartCard store={store} title="Alignment Λ (dashed: α step)" file="alignment" exportable={exportable} testid="chart-alignment"
          spec={() => linesSpec(store, [{ key: 'trainCorr', label: 'train' }, { key: 'validCorr', label: 'valid', dash: DASH }], { height: 170 })}
          caption="Mean cosine between the cells' gradients with respect to their mixing weights. Near 0: the cells disagree." />
        <ChartCard store={store} title="Accuracy (dashed: valid)" file="accuracy" exportable={exportable} testid="chart-accuracy"
          spec={() => linesSpec(store, [{ key: 'trainAcc', label: 'train' }, { key: 'validAcc', label: 'valid', dash: DASH }], { yDomain: [0, 1], yFormat: pctFmt, height: 170 })}
          caption="A widening gap means the weights overfit their half of the data; at this scale collapse follows it." />
      </div>
    </section>
  );
}

/** The rest over time: loss, regularizer share, schedules. */
export function MoreCharts({ store, exportable }: { store: ChartStore; exportable: boolean }) {
  return (
    <section className="race-charts" aria-labelledby="more-charts-title">
      <h2 id="more-charts-title">More over time</h2>
      <div className="chart-grid">
        <ChartCard store={store} title="Loss (dashed: valid)" file="loss" exportable={exportable}
          spec={() => linesSpec(store, [{ key: 'trainLoss', label: 'train' }, { key: 'validLoss', label: 'valid', dash: DASH }])} />
        <ChartCard store={store} title="Regularizer / task gradient (log)" file="reg-ratio" exportable={exportable}
          spec={() => linesSpec(store, [{ key: 'regRatio', label: '' }], { yLog: true })}
          caption="‖λₑ·reg‖ / ‖∇ω L‖ before clipping; 0 for DARTS (not drawn on a log scale)." />
        <ChartCard store={store} title="λₑ (solid) and learning rates: weights (dashed), α (dotted)" file="schedules" exportable={exportable}
          spec={() => linesSpec(store, [{ key: 'lambdaE', label: 'λₑ' }, { key: 'lr', label: 'lr', dash: DASH }, { key: 'archLr', label: 'α lr', dash: [1, 3] }], { yLog: true })} />
        <ChartCard store={store} title="ε (finite-difference step, log)" file="epsilon" exportable={exportable}
          spec={() => linesSpec(store, [{ key: 'epsilon', label: '' }], { yLog: true })} />
      </div>
    </section>
  );
}
