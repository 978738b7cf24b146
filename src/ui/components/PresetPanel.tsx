import { PRESETS, presetById } from '../presets';
import { presetState } from '../url';
import type { PageApi } from '../usePage';

/** Preset picker (a restart, so staged) and the preset's guidance for a newcomer. */
export function PresetPanel({ api, hidden }: { api: PageApi; hidden: Set<string> }) {
  const id = api.draft?.preset ?? api.page.preset;
  const preset = presetById(api.page.preset) ?? PRESETS[0];
  const shown = presetById(id) ?? preset;
  return (
    <section className="panel intro" aria-labelledby="preset-title">
      <h2 id="preset-title">{shown.title}</h2>
      {!hidden.has('presets') && (
        <div className={`field${id !== api.page.preset ? ' staged' : ''}`}>
          <label htmlFor="preset-select">Preset</label>
          <select id="preset-select" value={id} onChange={(e) => {
            const p = presetById(e.target.value)!;
            api.stageState({ ...presetState(p), speed: api.page.speed, hide: api.page.hide, backends: api.page.backends });
          }}>
            {PRESETS.map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
          </select>
        </div>
      )}
      <p className="guidance" data-testid="guidance">{shown.guidance}</p>
      <details className="howto">
        <summary>How to read the charts</summary>
        <ul>
          <li>λ ramps up from 0 over the epochs, so in the first epoch Λ-DARTS takes exactly DARTS's steps (same seed, same batches): the columns match until epoch 2.</li>
          <li>The derived cell is the argmax of softmax(α). While α is close to uniform the indicator says “Undecided”: the cell can flip with every step.</li>
          <li>The per-layer view shows which cells push which op. In the PyTorch measurement behind the default preset the largest ‖gˡ‖ was in the input-side cell, not near the output.</li>
          <li>Collapse at this scale follows overfitting (train accuracy far above valid); Λ-DARTS also trains its weights more slowly (see the regularizer / task ratio).</li>
        </ul>
      </details>
    </section>
  );
}
