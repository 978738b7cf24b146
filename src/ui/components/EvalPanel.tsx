import { useEffect, useId, useState } from 'react';
import type { Method, RunConfig } from '../../core/config';
import { formatDuration, meanStd, METHOD_LABELS, summarize, type MeanStd } from '../../eval/seed-table';
import type { RetrainJobOptions } from '../../worker/eval-protocol';
import type { BackendName } from '../../worker/protocol';
import { downloadText, fileStem } from '../download';
import { evalClient, jobActive, useEval, type EvalClient, type RetrainView, type SeedView } from '../evalClient';
import { retrainOptionDefaults, seedJson, seedMarkdown, withNb201 } from '../evalTables';
import { accuracyText, datasetLabel, nb201Entry, useNb201 } from '../nb201';
import type { RunClient } from '../runClient';

interface Props {
  client: RunClient;
  /** The page's backend order (URL backend=), as the search worker got it. */
  backends?: BackendName[];
  exportable: boolean;
  /** The evaluation worker's client (tests may pass their own). */
  ev?: EvalClient;
}

const pct = (x: number | null | undefined, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(d)}%`);
const pm = (m: MeanStd | null, d: number, unit = '') => (m && m.n ? `${m.mean.toFixed(d)}${unit} ± ${m.std.toFixed(d)}${unit}` : '—');
const eta = (s: number) => (Number.isFinite(s) && s > 0 ? formatDuration(s) : '—');
const STATUS: Record<string, string> = { queued: 'queued', running: 'running', cancelling: 'stopping…', done: 'done', cancelled: 'cancelled', failed: 'failed' };

/**
 * Evaluation of the race in a second worker: the derived cells retrained from scratch side by side
 * (DARTS vs Λ-DARTS), and K seeds of one method with the paper's table. Both run one job after
 * another on the evaluation worker, beside the race.
 */
export function EvalPanel({ client, backends, exportable, ev = evalClient }: Props) {
  const st = useEval(ev);
  const race = client.store.race;
  if (!race) return null;
  const cfg = race.runs[0].config;
  return (
    <section className="panel eval" aria-labelledby="eval-title" data-testid="eval-panel">
      <h2 id="eval-title">Evaluate the derived cells</h2>
      <p className="muted">
        Runs in a second worker beside the race, on the same kind of device
        {st.backend && <> (<strong data-testid="eval-backend">{st.backend.name}</strong>{st.backend.adapter && ` · ${st.backend.adapter}`})</>}; pause the race to give it the whole device.
        Data: the race's dataset ({race.dataset}) and seed {cfg.seed}.
      </p>
      {st.error && <p className="notice bad" role="alert" data-testid="eval-error">{st.error}</p>}
      <div className="eval-grid">
        <RetrainSection client={client} cfg={cfg} backends={backends} ev={ev} view={st.retrain} />
        <SeedSection client={client} cfg={cfg} backends={backends} ev={ev} view={st.multiseed} exportable={exportable} />
      </div>
    </section>
  );
}

/** A labelled number input; keeps its text while typing, the caller parses on Start. */
function NumInput({ label, value, onChange, min, step = 1, testid, disabled }: { label: string; value: string; onChange(v: string): void; min?: number; step?: number | 'any'; testid?: string; disabled?: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" inputMode="decimal" min={min} step={step} value={value} disabled={disabled} data-testid={testid} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

function Check({ label, checked, onChange, disabled }: { label: string; checked: boolean; onChange(v: boolean): void; disabled?: boolean }) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

type OptText = Record<keyof RetrainJobOptions, string | boolean>;
const toText = (o: RetrainJobOptions): OptText => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'boolean' ? v : String(v)])) as OptText;

/** Parses the fields; throws a message naming the field. */
function parseOptions(t: OptText, labels: Record<string, string>): RetrainJobOptions {
  const out: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(t)) {
    if (typeof v === 'boolean') out[k] = v;
    else {
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) throw new Error(`${labels[k] ?? k}: not a number`);
      out[k] = n;
    }
  }
  return out as unknown as RetrainJobOptions;
}

function RetrainSection({ client, cfg, backends, ev, view }: { client: RunClient; cfg: RunConfig; backends?: BackendName[]; ev: EvalClient; view: RetrainView | null }) {
  const kind = cfg.space === 'nb201' ? 'nb201' : 'darts';
  const key = `${cfg.space}|${cfg.imageSize}|${cfg.limit}`;
  const [opts, setOpts] = useState<OptText>(() => toText(retrainOptionDefaults(cfg)));
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => setOpts(toText(retrainOptionDefaults(cfg))), [key]); // a new race: its defaults
  const nb = useNb201();
  const store = client.store;
  const race = store.race!;
  const cells = race.runs.map((r, i) => ({ label: r.label, method: r.method, genotype: store.rowOf(i) >= 0 ? store.runs[i].history.genotype(store.rowOf(i)) : '' }));
  const active = jobActive(view);
  const set = (k: keyof RetrainJobOptions) => (v: string | boolean) => setOpts((o) => ({ ...o, [k]: v }));
  const labels: Record<string, string> = {
    // distinct from the search settings' labels (one page, one accessible name per control)
    C: 'Width C', N: 'Cells per stage', layers: 'Cells', epochs: 'Training epochs', batch: 'Batch', lr: 'Learning rate', imageSize: 'Image side (px)',
    limit: 'Training images (0 = all)', testLimit: 'Test images (0 = all)', cutout: 'Cutout (px, 0 = off)', dropPath: 'Drop-path', augment: 'Crop + flip', auxiliary: 'Auxiliary head',
  };
  const num = (k: keyof RetrainJobOptions, step: number | 'any' = 1, min = 0) => (
    <NumInput key={k} label={labels[k]} value={String(opts[k])} onChange={set(k)} step={step} min={min} disabled={active} testid={`retrain-${k}`} />
  );
  const start = () => {
    setErr(null);
    if (cells.some((c) => !c.genotype)) return setErr('No derived cell yet: let the race take a step first.');
    try {
      const options = parseOptions(opts, labels);
      void ev.retrain({ config: cfg, cells, options }, { backends, files: client.uploadedFiles });
    } catch (e) {
      setErr((e as Error).message);
    }
  };
  const shown = view ?? null;
  const results = shown?.results ?? null;
  return (
    <section className="eval-part" aria-labelledby="retrain-title">
      <h3 id="retrain-title">Retrain the derived cells from scratch</h3>
      <p className="muted">
        {kind === 'nb201'
          ? 'Each cell in the NAS-Bench-201 macro skeleton (3 stages of N cells, ResNet reductions) at the width below, trained with SGD (Nesterov, cosine) on the training images and scored on the held-out test images.'
          : 'Each cell in the DARTS evaluation network (normal cells, reductions at ⅓ and ⅔) at small size, with Cutout, drop-path and the auxiliary head as options, scored on the held-out test images.'}{' '}
        The cells are taken as they are when you press Start; both train on identical batches.
      </p>
      <div className="fields">
        {num('C', 1, 1)}
        {kind === 'nb201' ? num('N', 1, 1) : num('layers', 1, 2)}
        {num('epochs', 1, 1)}
        {num('batch', 1, 1)}
        {num('lr', 'any')}
        {num('imageSize', 1, 4)}
        {num('limit')}
        {num('testLimit')}
        {kind === 'darts' && num('cutout')}
        {kind === 'darts' && num('dropPath', 'any')}
      </div>
      <div className="row wrap">
        <Check label={labels.augment} checked={opts.augment as boolean} onChange={set('augment')} disabled={active} />
        {kind === 'darts' && <Check label={labels.auxiliary} checked={opts.auxiliary as boolean} onChange={set('auxiliary')} disabled={active} />}
      </div>
      <div className="row wrap">
        {active
          ? <button type="button" onClick={() => ev.cancel(view!.id)} disabled={view!.status === 'cancelling'}>Cancel retraining</button>
          : <button type="button" className="primary" onClick={start} disabled={cells.some((c) => !c.genotype)}>Start retraining ({cells.map((c) => c.label).join(' vs ')})</button>}
        {shown && <span className={`state ${shown.status}`} data-testid="retrain-status" aria-live="polite">{STATUS[shown.status]}</span>}
      </div>
      {err && <p className="field-error" role="alert">{err}</p>}
      {shown?.error && <p className="notice bad" role="alert" data-testid="retrain-error">{shown.error}</p>}
      {shown?.dataset && <p className="muted" data-testid="retrain-dataset">{shown.dataset}{shown.notes.length ? ` — ${shown.notes.join('; ')}` : ''}</p>}
      {shown && shown.status !== 'failed' && (
        <div className="eval-progress">
          {shown.cells.map((c, i) => {
            const p = shown.runs[i];
            const epochs = Number(shown.options.epochs);
            return (
              <div key={i} className="eval-bar">
                <label>
                  <span>{c.label}</span>
                  <progress aria-label={`Retraining ${c.label} cell`} value={p?.done ?? 0} max={p?.total || 1} data-testid={`retrain-progress-${i}`} />
                </label>
                <small className="muted" data-testid={`retrain-line-${i}`}>
                  step {p?.done ?? 0}/{p?.total || '…'} · epoch {Math.min(p?.epochAcc.length ?? 0, epochs)}/{epochs} · loss {Number.isFinite(p?.trainLoss) ? p.trainLoss.toFixed(3) : '—'} · test {pct(p?.testAcc, 1)}
                  {shown.status === 'running' && ` · ETA ${eta(p?.etaS ?? NaN)}`}
                </small>
              </div>
            );
          })}
        </div>
      )}
      {results && (
        <div className="table-scroll">
          <table className="eval-table" data-testid="retrain-results">
            <caption>{retrainCaption(shown!, results)}</caption>
            <thead>
              <tr><th scope="col"></th>{shown!.cells.map((c, i) => <th key={i} scope="col">{c.label}</th>)}</tr>
            </thead>
            <tbody>
              <tr><th scope="row">Test accuracy</th>{results.map((r, i) => <td key={i} className="num strong" data-testid={`retrain-acc-${i}`}>{pct(r.testAcc)}</td>)}</tr>
              <tr><th scope="row">Test accuracy per epoch</th>{results.map((r, i) => <td key={i} className="num">{r.epochs.map((e) => pct(e.testAcc, 1)).join(' → ')}</td>)}</tr>
              <tr><th scope="row">Final train loss / accuracy</th>{results.map((r, i) => <td key={i} className="num">{r.trainLoss.toFixed(3)} / {pct(r.trainAcc, 1)}</td>)}</tr>
              <tr><th scope="row">Parameters</th>{results.map((r, i) => <td key={i} className="num" data-testid={`retrain-params-${i}`}>{r.params.toLocaleString()}{r.paramsWithAux > r.params ? ` (+${(r.paramsWithAux - r.params).toLocaleString()} aux)` : ''}</td>)}</tr>
              <tr><th scope="row">Wall time</th>{results.map((r, i) => <td key={i} className="num">{formatDuration(r.wallS)}</td>)}</tr>
              {nb.table && kind === 'nb201' && (
                <tr><th scope="row">NAS-Bench-201 (full size, not trained here)</th>{results.map((r, i) => {
                  const e = nb201Entry(nb.table, r.genotype);
                  return <td key={i}>{e ? accuracyText(e, nb.dataset) : `not in the table (${datasetLabel(nb.dataset)})`}</td>;
                })}</tr>
              )}
              <tr><th scope="row">Cell</th>{results.map((r, i) => <td key={i}><code className="genotype">{r.genotype}</code></td>)}</tr>
            </tbody>
          </table>
        </div>
      )}
      <small className="muted">Tiny sizes rank cells roughly at best; NAS-Bench-201's numbers come from 200 epochs at C=16, N=5 on 32×32 CIFAR.</small>
    </section>
  );
}

/** What the result table holds: final test accuracy, or after a cancel the last epoch's (if any). */
function retrainCaption(v: RetrainView, results: NonNullable<RetrainView['results']>): string {
  const r = results[0];
  if (!r) return '';
  const epochs = r.epochs.length;
  const images = `${r.testImages.toLocaleString()} test images`;
  if (v.status === 'cancelled') {
    return `Stopped early at step ${r.steps} of ${v.runs[0]?.total ?? '?'}: ${epochs ? `test accuracy after epoch ${epochs} (${images})` : 'no epoch finished, no test accuracy yet'}`;
  }
  return `Test accuracy after ${epochs} epoch${epochs === 1 ? '' : 's'}, ${images}`;
}

const METHODS: Method[] = ['darts', 'darts2', 'lambda'];

function SeedSection({ client, cfg, backends, ev, view, exportable }: { client: RunClient; cfg: RunConfig; backends?: BackendName[]; ev: EvalClient; view: SeedView | null; exportable: boolean }) {
  const race = client.store.race!;
  const mid = useId();
  const [method, setMethod] = useState<Method>(race.runs[race.runs.length - 1].method);
  const [k, setK] = useState('3');
  const [first, setFirst] = useState('0');
  const [epochs, setEpochs] = useState(String(cfg.epochs));
  const [maxSteps, setMaxSteps] = useState('0');
  const [err, setErr] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => setEpochs(String(cfg.epochs)), [cfg.epochs]);
  const nb = useNb201();
  const active = jobActive(view);
  const start = () => {
    setErr(null);
    const K = Number(k), s0 = Number(first), E = Number(epochs), M = Number(maxSteps);
    if (!Number.isInteger(K) || K < 1 || K > 50) return setErr('Seeds K: an integer from 1 to 50');
    if (!Number.isInteger(s0) || s0 < 0) return setErr('First seed: an integer ≥ 0');
    if (!Number.isInteger(E) || E < 1) return setErr('Epochs: an integer ≥ 1');
    if (!Number.isInteger(M) || M < 0) return setErr('Steps per seed: an integer ≥ 0');
    void ev.multiseed({ config: { ...cfg, method, epochs: E }, method, seeds: Array.from({ length: K }, (_, i) => s0 + i), maxSteps: M }, { backends, files: client.uploadedFiles });
  };
  const rows = view ? withNb201(view.rows, nb.table, view.space) : [];
  const sum = rows.length ? summarize(rows)[0] : null;
  const scored = rows.some((r) => r.nb201);
  const p = view?.progress;
  const runs = view?.seeds.length ?? 0;
  const frac = p ? (p.run + p.step / p.totalSteps) / p.runs : view?.status === 'done' ? 1 : 0;
  const copy = async () => {
    const md = seedMarkdown(rows, { space: view!.space, epochs: view!.epochs, dataset: view!.dataset });
    try {
      await navigator.clipboard.writeText(md);
      setCopied('Copied the table as markdown.');
    } catch {
      downloadText(md, `multiseed-${fileStem([view!.method, view!.space])}.md`, 'text/markdown');
      setCopied('The clipboard is not available here: downloaded the markdown instead.');
    }
  };
  return (
    <section className="eval-part" aria-labelledby="seeds-title">
      <h3 id="seeds-title">Multi-seed</h3>
      <p className="muted">
        K searches of one method with the race's configuration, one after another (seeds first, first + 1, …), and the paper's table: the final genotype per seed,
        its NAS-Bench-201 accuracy (mean ± std, when a table is loaded), skip connections and the final Λ.
      </p>
      <div className="fields">
        <div className="field">
          <label htmlFor={mid}>Method</label>
          <select id={mid} value={method} disabled={active} onChange={(e) => setMethod(e.target.value as Method)} data-testid="seeds-method">
            {METHODS.map((m) => <option key={m} value={m}>{METHOD_LABELS[m]}</option>)}
          </select>
        </div>
        <NumInput label="Seeds K" value={k} onChange={setK} min={1} disabled={active} testid="seeds-k" />
        <NumInput label="First seed" value={first} onChange={setFirst} min={0} disabled={active} testid="seeds-first" />
        <NumInput label="Epochs per search" value={epochs} onChange={setEpochs} min={1} disabled={active} testid="seeds-epochs" />
        <NumInput label="Steps per seed (0 = all)" value={maxSteps} onChange={setMaxSteps} min={0} disabled={active} testid="seeds-max-steps" />
      </div>
      <div className="row wrap">
        {active
          ? <button type="button" onClick={() => ev.cancel(view!.id)} disabled={view!.status === 'cancelling'}>Cancel multi-seed</button>
          : <button type="button" className="primary" onClick={start}>Start {k || '?'} seeds</button>}
        {view && <span className={`state ${view.status}`} data-testid="seeds-status" aria-live="polite">{STATUS[view.status]}</span>}
      </div>
      {err && <p className="field-error" role="alert">{err}</p>}
      {view?.error && <p className="notice bad" role="alert" data-testid="seeds-error">{view.error}</p>}
      {view?.dataset && <p className="muted">{view.dataset}{view.notes.length ? ` — ${view.notes.join('; ')}` : ''}</p>}
      {view && view.status !== 'failed' && (
        <div className="eval-bar">
          <label>
            <span>{METHOD_LABELS[view.method]}</span>
            <progress aria-label="Multi-seed progress" value={frac} max={1} data-testid="seeds-progress" />
          </label>
          <small className="muted" data-testid="seeds-line">
            {p ? `seed ${p.seed} (${p.run + 1}/${p.runs}) · step ${p.step}/${p.totalSteps}` : `0/${runs} seeds`} · {view.rows.length} done
            {view.status === 'running' && p && ` · ETA ${eta(p.etaSeconds)}`}
          </small>
        </div>
      )}
      {rows.length > 0 && (
        <>
          <div className="table-scroll">
            <table className="eval-table seeds" data-testid="seed-table">
              <caption>{METHOD_LABELS[view!.method]} on {view!.space}, {view!.epochs} epochs{view!.maxSteps ? `, at most ${view!.maxSteps} steps per seed` : ''}</caption>
              <thead>
                <tr>
                  <th scope="col">Seed</th><th scope="col">Genotype</th>
                  {scored && <><th scope="col">CIFAR-10</th><th scope="col">CIFAR-100</th><th scope="col">ImageNet16-120</th></>}
                  <th scope="col">Skips</th><th scope="col">Final Λ</th><th scope="col">Wall</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.seed} data-testid="seed-row">
                    <td className="num">{r.seed}</td>
                    <td><code className="genotype">{r.arch || '—'}</code>{r.nonFinite && <small className="field-error"> stopped: {r.nonFinite} not finite</small>}{r.nb201 && !r.nb201.exact && <small className="muted"> (isomorphic cell)</small>}</td>
                    {scored && <><td className="num">{r.nb201 ? r.nb201.cifar10.toFixed(2) : '—'}</td><td className="num">{r.nb201 ? r.nb201.cifar100.toFixed(2) : '—'}</td><td className="num">{r.nb201 ? r.nb201.imagenet16.toFixed(2) : '—'}</td></>}
                    <td className="num">{r.skipCount}</td>
                    <td className="num">{Number.isFinite(r.finalTrainCorr) ? r.finalTrainCorr.toFixed(3) : '—'}</td>
                    <td className="num">{formatDuration(r.wallS)}</td>
                  </tr>
                ))}
              </tbody>
              {sum && (
                <tfoot>
                  <tr data-testid="seed-summary">
                    <th scope="row">mean ± std</th><td>{sum.seeds} seed{sum.seeds === 1 ? '' : 's'}</td>
                    {scored && <><td className="num">{pm(sum.cifar10, 2)}</td><td className="num">{pm(sum.cifar100, 2)}</td><td className="num">{pm(sum.imagenet16, 2)}</td></>}
                    <td className="num">{pm(sum.skipCount, 1)}</td>
                    <td className="num">{pm(meanStd(rows.map((r) => r.finalTrainCorr)), 3)}</td>
                    <td className="num">{formatDuration(sum.wallS.mean)}</td>
                  </tr>
                </tfoot>
              )}
            </table>
          </div>
          {exportable && (
            <div className="row wrap">
              <button type="button" onClick={() => void copy()}>Copy as markdown</button>
              <button type="button" onClick={() => downloadText(seedJson(rows, { ...cfg, method: view!.method, epochs: view!.epochs }, nb.table, ((view!.t1 ?? performance.now()) - view!.t0) / 1000), `multiseed-${fileStem([view!.method, view!.space, `${rows.length}seeds`])}.json`, 'application/json')}>Download JSON</button>
              {copied && <span className="muted" aria-live="polite">{copied}</span>}
            </div>
          )}
        </>
      )}
    </section>
  );
}
