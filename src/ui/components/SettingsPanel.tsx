import { useState } from 'react';
import type { Method, RunConfig } from '../../core/config';
import type { HotParams } from '../../worker/protocol';
import { FIELDS } from '../../core/config';
import { labelOf, panelFields } from '../fields';
import type { PageApi } from '../usePage';
import type { ClientState } from '../runClient';
import { Field } from './Field';

export const RUN_CHOICES: [string, string][] = [
  ['darts,lambda', 'DARTS vs Λ-DARTS (race)'], ['lambda', 'Λ-DARTS only'], ['darts', 'DARTS only'],
  ['darts2,lambda', 'DARTS 2nd order vs Λ-DARTS'], ['darts,darts2', 'DARTS 1st vs 2nd order'], ['darts2', 'DARTS 2nd order only'],
];

/** Hot fields apply at the next step; cold ones are staged until the restart is confirmed. */
export function SettingsPanel({ api, hidden, hot: ack }: { api: PageApi; hidden: Set<string>; hot: ClientState['hot'] }) {
  const [hotError, setHotError] = useState<string | null>(null);
  const cfg = api.page.config;
  const staged = api.draft?.config ?? cfg;
  const show = (flag: string) => !hidden.has(flag);
  const hot = (advanced: boolean) => panelFields(cfg, true, advanced).filter((f) => show(f.flag)).map((f) => (
    <Field key={f.key} field={f} value={cfg[f.key]} onCommit={(v) => setHotError(api.setHot(f.key as keyof HotParams, v))} />
  ));
  const cold = (advanced: boolean) => panelFields(staged, false, advanced).filter((f) => show(f.flag)).map((f) => (
    <Field key={f.key} field={f} value={staged[f.key]} staged={staged[f.key] !== cfg[f.key]} onCommit={(v) => api.stage({ config: { [f.key]: v } as Partial<RunConfig> })} />
  ));
  const runs = (api.draft?.runs ?? api.page.runs).join(',');
  return (
    <section className="panel settings" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <h3>Live <small>applied at the next step</small></h3>
      <div className="fields">{hot(false)}</div>
      {hotError && <p className="field-error" role="alert">{hotError}</p>}
      {ack && (
        <p className="muted" data-testid="hot-ack" aria-live="polite">
          Applied {Object.entries(ack.params).map(([k, v]) => `${labelOf(FIELDS.find((f) => f.key === k)!)} = ${v}`).join(', ')} after step {ack.step}.
        </p>
      )}
      <details>
        <summary>More live settings</summary>
        <div className="fields">{hot(true)}</div>
      </details>
      <h3>Restart <small>change, then confirm</small></h3>
      <div className="fields">
        {show('runs') && (
          <div className={`field${runs !== api.page.runs.join(',') ? ' staged' : ''}`}>
            <label htmlFor="runs-select">Methods</label>
            <select id="runs-select" value={runs} onChange={(e) => api.stage({ runs: e.target.value.split(',') as Method[] })}>
              {RUN_CHOICES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
              {!RUN_CHOICES.some(([v]) => v === runs) && <option value={runs}>{runs}</option>}
            </select>
          </div>
        )}
        {cold(false)}
      </div>
      <details>
        <summary>More restart settings</summary>
        <div className="fields">{cold(true)}</div>
      </details>
    </section>
  );
}
