import { useState } from 'react';
import { FIELDS } from '../../core/config';
import { labelOf } from '../fields';
import { HIDE_GROUPS, pageQuery } from '../url';
import type { PageApi } from '../usePage';

const GROUP_LABELS: Record<(typeof HIDE_GROUPS)[number], string> = {
  presets: 'Preset picker', runs: 'Methods', speed: 'Speed', settings: 'Whole settings panel', 'dataset-upload': 'Dataset upload',
  export: 'Export buttons', replay: 'Run-log import', eval: 'Retraining and multi-seed', teacher: 'This teacher panel',
};
const COMMON = ['seed', 'dataset', 'space', 'lambda', 'epsilon0', 'lr', 'arch-lr', 'C', 'image-size', 'batch', 'epochs'];

/** Pick controls to hide; the link opens this configuration with them hidden. */
export function TeacherPanel({ api }: { api: PageApi }) {
  const [hide, setHide] = useState<string[]>(api.page.hide);
  const link = `${window.location.origin}${window.location.pathname}${pageQuery({ ...api.page, hide })}`;
  const toggle = (k: string, on: boolean) => setHide((h) => (on ? [...h, k] : h.filter((x) => x !== k)));
  const box = (k: string, label: string) => (
    <label key={k} className="check">
      <input type="checkbox" aria-label={`hide ${label}`} checked={hide.includes(k)} onChange={(e) => toggle(k, e.target.checked)} />
      {label}
    </label>
  );
  return (
    <details className="panel teacher">
      <summary><h2>Teacher mode</h2></summary>
      <p className="muted">Hide controls, then share the link: it opens this exact configuration (seed included) without them.</p>
      <fieldset>
        <legend>Hide</legend>
        <div className="checks">
          {HIDE_GROUPS.map((g) => box(g, GROUP_LABELS[g]))}
          {COMMON.map((flag) => box(flag, labelOf(FIELDS.find((f) => f.flag === flag)!)))}
        </div>
      </fieldset>
      <label className="field">
        Teacher link
        <input type="text" readOnly value={link} data-testid="teacher-link" onFocus={(e) => e.target.select()} />
      </label>
      <div className="row">
        <button type="button" onClick={() => void navigator.clipboard?.writeText(link)}>Copy link</button>
        <a className="button" href={link}>Open it</a>
      </div>
    </details>
  );
}
