import { gradNormSpec, heatmapSpec, nb201Spec, matrixSpec, trajectoriesSpec, votesSpec } from '../charts';
import { meanMaxP } from '../collapse';
import { methodColor } from '../draw/colors';
import { downloadText, fileStem } from '../download';
import { accuracyText, datasetLabel, nb201Entry, useNb201 } from '../nb201';
import type { ClientState } from '../runClient';
import type { ChartStore } from '../store';
import { CellGraphView } from './CellGraphView';
import { ChartCard } from './ChartCard';
import { RunStats } from './RunStats';

interface Props {
  store: ChartStore;
  run: number;
  s: ClientState;
  exportable: boolean;
  recover(run: number): void;
}

/** Everything about one run: collapse indicator, readouts, derived cell, α, per-layer view, correlations. */
export function RunColumn({ store, run, s, exportable, recover }: Props) {
  const race = store.race!;
  const info = race.runs[run];
  const status = s.replay ? null : s.progress?.statuses[run] ?? null;
  const row = store.rowOf(run);
  const h = store.runs[run]?.history;
  const genotype = h && row >= 0 ? h.genotype(row) : '';
  const darts = race.alphas.length > 1;
  const stem = fileStem([info.method, info.config.space, `seed${info.config.seed}`]);
  const skip = h && row >= 0 ? h.get('skipCount', row) : NaN;
  const pf = h && row >= 0 ? h.get('paramFreeCount', row) : NaN;
  const nb = useNb201();
  const nbOn = !!nb.table && info.config.space === 'nb201';
  const nbEntry = nbOn ? nb201Entry(nb.table, genotype) : null;
  const sat = h && row >= 0 ? meanMaxP(h.vector('softmax', row), race.alphas[0].numEdges, race.alphas[0].ops.length) : NaN;
  return (
    <section className="run" aria-labelledby={`run-${run}-title`} style={{ ['--run' as string]: methodColor(info.method) }}>
      <header className="run-head">
        <h2 id={`run-${run}-title`}>{info.label}</h2>
        <span className="muted">step <output data-testid={`steps-${run}`}>{row + 1}</output></span>
        {status?.done && <span className="badge">done</span>}
      </header>
      {status?.halted && (
        <div className="notice bad" role="alert" data-testid={`halted-${run}`}>
          <p>
            Paused at step {status.halted.step}: <code>{status.halted.metric}</code> became NaN or infinite. The charts show the last good step ({row + 1}).
            {status.checkpointStep >= 0 && ` Lower the learning rate, then continue from the checkpoint at step ${status.checkpointStep}.`}
          </p>
          {status.checkpointStep >= 0 && <button type="button" onClick={() => recover(run)}>Continue from step {status.checkpointStep}</button>}
        </div>
      )}
      <div className={darts ? 'graphs' : ''}>
        {race.alphas.map((a, i) => (
          <CellGraphView key={a.name} store={store} run={run} alpha={i} title={darts ? `Derived ${i ? 'reduction' : 'normal'} cell` : 'Derived cell'} file={`cell-${i ? 'reduce' : 'normal'}-${stem}`} exportable={exportable} />
        ))}
      </div>
      <div className="card genotype-card">
        <div className="genotype-head">
          <h3>Genotype</h3>
          <span className="muted">
            skip_connect <strong data-testid={`skip-${run}`}>{Number.isFinite(skip) ? skip : '—'}</strong> · parameter-free {Number.isFinite(pf) ? pf : '—'} · mean saturation max p <strong>{Number.isFinite(sat) ? sat.toFixed(2) : '—'}</strong>
          </span>
        </div>
        <code className="genotype" data-testid={`genotype-${run}`}>{genotype || '—'}</code>
        {nbOn && genotype && (
          <p className="nb201-acc" data-testid={`nb201-acc-${run}`} data-exact={nbEntry ? String(nbEntry.exact) : undefined}
            title="NAS-Bench-201: this cell trained from scratch at full size; not trained here">
            {nbEntry ? accuracyText(nbEntry, nb.dataset) : 'not in the NAS-Bench-201 table'}
          </p>
        )}
        {exportable && genotype && (
          <button type="button" className="tiny" onClick={() => downloadText(`${genotype}\n`, `genotype-${stem}.txt`)}>Export genotype ({info.label})</button>
        )}
      </div>
      <RunStats store={store} run={run} />
      {nbOn && (
        <ChartCard store={store} title={`Alignment Λ and NAS-Bench-201 test accuracy of the current cell (${datasetLabel(nb.dataset)})`} file={`nb201-${nb.dataset}-${stem}`} exportable={exportable}
          spec={() => nb201Spec(store, run, nb.table, nb.dataset)} deps={`${nb.version}`} testid={`chart-nb201-${run}`}
          caption={`The paper's figure 1 for this run. Solid, left axis: the benchmark's ${nb.table!.epochs}-epoch ${datasetLabel(nb.dataset)} test accuracy of the cell derived at each step, trained from scratch at full size (not trained here). Dashed, right axis: the alignment Λ of the same steps. Meaningful only for CIFAR-10-like searches; on MNIST the accuracy only ranks the cell.${nbEntry && !nbEntry.exact ? ' The current cell is not in the table: an isomorphic cell answered.' : ''}`} />
      )}
      {race.alphas.map((a, i) => (
        <ChartCard key={`hm-${a.name}`} store={store} title={`softmax(α)${darts ? (i ? ', reduction' : ', normal') : ''}`} file={`softmax-${a.name}-${stem}`} exportable={exportable}
          spec={() => heatmapSpec(store, run, i)} testid={`heatmap-${run}-${i}`} caption="Rows: edges (from→to); orange box: the op the cell keeps." />
      ))}
      {race.alphas.map((a, i) => (
        <ChartCard key={`tr-${a.name}`} store={store} title={`softmax(α) over time${darts ? (i ? ', reduction' : ', normal') : ''}`} file={`trajectories-${a.name}-${stem}`} exportable={exportable}
          spec={() => trajectoriesSpec(store, run, i)} testid={`trajectories-${run}-${i}`} />
      ))}
      <ChartCard store={store} title="Per-layer view: who pushes which op" file={`votes-${stem}`} exportable={exportable} spec={() => votesSpec(store, run)} testid={`votes-${run}`}
        caption="One row per cell, input side at the top. Grey bar: ‖gˡ‖. Squares: the cell's vote −J(p)·gˡ per edge and op (blue: pushes the op up, red: down; one scale for all rows). α moves along the sum of the rows; when they disagree, the cells with the largest ‖gˡ‖ win." />
      <ChartCard store={store} title="‖gˡ‖ per cell over time (α step)" file={`gradnorms-${stem}`} exportable={exportable} spec={() => gradNormSpec(store, run)} />
      <div className="pair">
        <ChartCard store={store} title="cos(gᵢ, gⱼ), weight step" file={`cos-train-${stem}`} exportable={exportable} spec={() => matrixSpec(store, run, 'Train')} testid={`cos-${run}`} />
        <ChartCard store={store} title="cos(gᵢ, gⱼ), α step" file={`cos-valid-${stem}`} exportable={exportable} spec={() => matrixSpec(store, run, 'Valid')} />
      </div>
    </section>
  );
}
