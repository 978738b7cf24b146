import { useEffect, useState, useSyncExternalStore } from 'react';
import { fmt, pct, sig } from './format';
import type { RunClient } from './runClient';
import { SoftmaxHeatmap } from './SoftmaxHeatmap';

const STATE_LABEL = { starting: 'starting…', loading: 'loading data…', running: 'running', stepping: 'stepping…', paused: 'paused', done: 'done' } as const;

export function App({ client, warnings = [] }: { client: RunClient; warnings?: string[] }) {
  useEffect(client.connect, [client]);
  const { backend, info, state, snapshot: s, error } = useSyncExternalStore(client.subscribe, client.getState);
  const cfg = info?.config;
  const playing = state === 'running';
  const canStep = state === 'paused';
  const [lambda, setLambda] = useState<number | null>(null);
  const shownLambda = lambda ?? cfg?.lambda ?? 0;
  useEffect(() => setLambda(null), [info]); // a new run starts from its own config

  return (
    <main className="app" data-tensors={s?.tensors}>
      <header>
        <h1>Λ-DARTS Playground</h1>
        <p className="tagline">
          Differentiable architecture search with and without the Λ regularizer, trained live in your browser.
        </p>
      </header>

      <section className="panel status" aria-label="Run">
        <div>
          <span className="label">Backend</span>
          <strong data-testid="backend" className={`badge ${backend?.name ?? 'none'}`}>{backend?.name ?? 'choosing…'}</strong>
          {backend && (
            <span className="muted" data-testid="backend-reason">
              {backend.reason}
              {backend.adapter && ` · ${backend.adapter}`}
            </span>
          )}
        </div>
        <div>
          <span className="label">Data</span>
          <span data-testid="dataset">{info ? info.dataset : '…'}</span>
          {info?.synthetic && <span className="badge synthetic">synthetic</span>}
          {info?.datasetNote && <span className="muted" data-testid="dataset-note"> {info.datasetNote}</span>}
        </div>
        {cfg && (
          <div>
            <span className="label">Search</span>
            <span>
              {cfg.space.toUpperCase()} C={cfg.C} N={cfg.N}, {cfg.imageSize}×{cfg.imageSize}, batch {cfg.batch},{' '}
              {cfg.method === 'lambda' ? `Λ-DARTS${cfg.lambdaRamp ? ' (λ ramped from 0 over the epochs)' : ''}` : cfg.method.toUpperCase()}, seed {cfg.seed}
            </span>
          </div>
        )}
      </section>

      <section className="controls" aria-label="Controls">
        <button type="button" className="primary" onClick={playing ? client.pause : client.play} disabled={!info || state === 'done' || state === 'loading'}>
          {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" onClick={client.step} disabled={!canStep}>Step</button>
        <button type="button" onClick={client.reset} disabled={!info}>Reset</button>
        <span className="muted" data-testid="state" aria-live="polite">{STATE_LABEL[state]}</span>
        {cfg?.method === 'lambda' && (
          <label className="slider">
            λ
            <input
              type="range" min={0} max={1} step={0.05} value={shownLambda} aria-label="λ, regularization strength"
              onChange={(e) => {
                const v = Number(e.target.value);
                setLambda(v);
                client.set({ lambda: v });
              }}
            />
            <output>{shownLambda.toFixed(2)}</output>
          </label>
        )}
      </section>

      {error && <p className="error" role="alert" data-testid="error">{error}</p>}
      {warnings.length > 0 && <p className="warning" data-testid="warnings">{warnings.join('; ')}</p>}

      <section className="panel stats" aria-label="Metrics">
        <Stat label="Step" testid="step" value={String(s?.step ?? 0)} extra={info ? `/ ${info.totalSteps}` : ''} />
        <Stat label="Epoch" testid="epoch" value={s ? String(s.epoch) : '—'} extra={cfg ? `/ ${cfg.epochs}` : ''} />
        <Stat label="Train loss" testid="train-loss" value={fmt(s?.trainLoss)} />
        <Stat label="Valid loss" testid="valid-loss" value={fmt(s?.validLoss)} />
        <Stat label="Train acc" value={pct(s?.trainAcc)} />
        <Stat label="Valid acc" value={pct(s?.validAcc)} />
        <Stat label="Λ (train)" testid="lambda" value={fmt(s?.trainCorr)} title="mean pairwise cosine of the per-cell gradients" />
        <Stat label="Λ (valid)" value={fmt(s?.validCorr)} />
        <Stat label="λₑ (this epoch)" math value={sig(s?.lambdaE)} title="regularization strength this epoch (ramped from 0)" />
        <Stat label="Steps/s" value={s ? s.stepsPerSec.toFixed(2) : '—'} extra={s ? `${s.msPerStep.toFixed(0)} ms/step` : ''} />
      </section>

      <section className="panel" aria-label="Architecture">
        <h2>Current cell</h2>
        <code className="genotype" data-testid="genotype">{s?.genotype ?? '—'}</code>
        {s && <p className="muted">skip connections: <span data-testid="skip-count">{s.skipCount}</span></p>}
        <h2 className="spaced">softmax(α)</h2>
        {info ? <SoftmaxHeatmap client={client} info={info} /> : <p className="muted">…</p>}
      </section>
    </main>
  );
}

function Stat({ label, value, extra, testid, title, math }: { label: string; value: string; extra?: string; testid?: string; title?: string; math?: boolean }) {
  return (
    <div className="stat" title={title}>
      <span className={math ? 'label math' : 'label'}>{label}</span>
      <span className="value">
        <output data-testid={testid}>{value}</output>
        {extra && <small> {extra}</small>}
      </span>
    </div>
  );
}
