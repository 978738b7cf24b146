import type { FieldSpec } from '../../core/config';
import { fieldByFlag } from '../../core/config';
import type { ClientState } from '../runClient';
import type { PageApi } from '../usePage';
import { Field } from './Field';

const STATE_LABEL = { starting: 'starting…', loading: 'loading data…', running: 'running', stepping: 'stepping…', paused: 'paused', done: 'done', lost: 'GPU lost' } as const;
export const SPEEDS: [number, string][] = [[0, 'max'], [10, '10 steps/s'], [4, '4 steps/s'], [1, '1 step/s'], [0.25, '1 step / 4 s']];

function eta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '—';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

interface Props {
  s: ClientState;
  api: PageApi;
  hidden: Set<string>;
  play(): void;
  pause(): void;
  step(): void;
  reset(): void;
}

/** Play/Pause, Step, Reset, speed, seed, and the race's progress. */
export function Toolbar({ s, api, hidden, play, pause, step, reset }: Props) {
  const race = s.race;
  const playing = s.state === 'running';
  const busy = !race || s.state === 'loading' || s.state === 'starting' || s.state === 'lost' || s.replay;
  const steps = s.progress?.steps ?? [];
  const done = Math.max(0, ...steps);
  const total = race?.totalSteps ?? 0;
  const spe = race?.stepsPerEpoch ?? 1;
  const rps = s.progress?.roundsPerSec ?? 0;
  const seedField = fieldByFlag('seed') as FieldSpec;
  const seed = api.draft?.config.seed ?? api.page.config.seed;
  return (
    <div className="toolbar" role="toolbar" aria-label="Run controls">
      <div className="buttons">
        <button type="button" className="primary" onClick={playing ? pause : play} disabled={busy || s.state === 'done'} aria-keyshortcuts="Space">
          {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" onClick={step} disabled={busy || playing || s.state === 'done'} aria-keyshortcuts="S">Step</button>
        <button type="button" onClick={reset} disabled={!race || s.replay}>Reset</button>
      </div>
      {!hidden.has('speed') && (
        <label className="inline">
          Speed
          <select value={api.page.speed} onChange={(e) => api.setSpeed(Number(e.target.value))}>
            {SPEEDS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
          </select>
        </label>
      )}
      {!hidden.has('seed') && (
        <div className="inline seed">
          <Field field={seedField} value={seed} staged={api.draft !== null && api.draft.config.seed !== api.page.config.seed} onCommit={(v) => api.stage({ config: { seed: v as number } })} />
        </div>
      )}
      <div className="progress" aria-live="off">
        <span>Epoch <output data-testid="epoch">{race ? Math.min(Math.floor(done / spe) + 1, race.runs[0].config.epochs) : '—'}</output><small> / {race?.runs[0].config.epochs ?? '—'}</small></span>
        <span>Step <output data-testid="step">{done}</output><small> / {total}</small></span>
        <span title="steps of each run per second (the runs take turns)"><output data-testid="rate">{rps ? rps.toFixed(2) : '—'}</output><small> steps/s</small></span>
        <span>ETA <output data-testid="eta">{playing && rps ? eta((total - done) / rps) : '—'}</output></span>
        <span className={`state ${s.state}`} data-testid="state" aria-live="polite">{STATE_LABEL[s.state]}</span>
      </div>
    </div>
  );
}
