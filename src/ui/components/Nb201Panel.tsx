import { useId } from 'react';
import { NB201_DATASETS, type Nb201Dataset } from '../../eval/nb201-lookup';
import { datasetLabel, nb201Store, useNb201 } from '../nb201';

/** NAS-Bench-201 ground truth: load the table (never bundled), pick the benchmark dataset. */
export function Nb201Panel({ space }: { space: string | undefined }) {
  const id = useId();
  const n = useNb201();
  const t = n.table;
  return (
    <section className="panel nb201" aria-labelledby={`${id}-t`}>
      <h2 id={`${id}-t`}>NAS-Bench-201 ground truth</h2>
      <div className="field">
        <label htmlFor={`${id}-file`}>Load NAS-Bench-201 table (.csv)</label>
        <input id={`${id}-file`} type="file" accept=".csv,text/csv" data-testid="nb201-upload" disabled={!!n.loading} onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void nb201Store.loadFile(f);
          e.target.value = '';
        }} />
      </div>
      {n.loading && <p className="muted" data-testid="nb201-loading" aria-live="polite">Loading {n.loading}…</p>}
      {t && (
        <p className="muted" data-testid="nb201-status">
          Loaded {t.source} ({t.layout === '200ep' ? '200-epoch test accuracy' : `${t.epochs}-epoch accuracy`}, {t.classCount.toLocaleString()} isomorphism classes).
        </p>
      )}
      {n.error && <p className="notice bad" role="alert" data-testid="nb201-error">{n.error}</p>}
      {t && (
        <div className="field">
          <label htmlFor={`${id}-ds`}>Benchmark dataset</label>
          <select id={`${id}-ds`} data-testid="nb201-dataset" value={n.dataset} onChange={(e) => nb201Store.setDataset(e.target.value as Nb201Dataset)}>
            {NB201_DATASETS.map((d) => <option key={d} value={d}>{datasetLabel(d)}</option>)}
          </select>
        </div>
      )}
      {t && space && space !== 'nb201' && <p className="notice warn">The table applies to the nb201 search space only; this race searches {space}.</p>}
      <small className="muted">
        The accuracy shown for a cell is the benchmark's 200-epoch test accuracy of that derived cell trained from scratch at full size (C=16, 5 cells per stage), not
        anything trained here. It is meaningful for CIFAR-10-like searches; on MNIST or synthetic data it only ranks the cell.
      </small>
    </section>
  );
}
