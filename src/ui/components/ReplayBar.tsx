import type { RunClient } from '../runClient';

/** The time scrubber of a replayed run log. */
export function ReplayBar({ client }: { client: RunClient }) {
  const store = client.store;
  const max = Math.max(0, store.maxRows - 1);
  const row = store.cursor ?? max;
  const step = store.runs[0]?.history.get('step', Math.min(row, (store.runs[0]?.history.length ?? 1) - 1));
  const spe = store.race?.stepsPerEpoch ?? 1;
  return (
    <div className="replay" role="group" aria-label="Replay">
      <strong>Replay</strong>
      <label className="inline grow">
        Time
        <input type="range" min={0} max={max} value={row} onChange={(e) => client.scrub(Number(e.target.value))} aria-valuetext={`step ${step + 1}`} data-testid="scrubber" />
      </label>
      <span className="muted" data-testid="replay-step">step {Number.isFinite(step) ? step + 1 : '—'} · epoch {Number.isFinite(step) ? Math.floor(step / spe) + 1 : '—'}</span>
      <button type="button" onClick={client.exitReplay}>Back to live</button>
    </div>
  );
}
