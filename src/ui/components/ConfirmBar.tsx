import { FIELDS } from '../../core/config';
import { labelOf } from '../fields';
import type { PageApi } from '../usePage';

const nameOf = (k: string) => (k === 'runs' ? 'methods' : k === 'preset' ? 'preset' : labelOf(FIELDS.find((f) => f.key === k)!));

/** Staged cold changes: restart both runs with them, or discard. */
export function ConfirmBar({ api }: { api: PageApi }) {
  if (!api.draft) return null;
  const n = api.draftChanges.length;
  return (
    <div className="confirm" role="group" aria-label="Restart with new settings" data-testid="confirm">
      <span>
        {n ? <>Changing {api.draftChanges.map(nameOf).join(', ')} restarts the runs from step 0.</> : 'No change to apply.'}
        {api.draftError && <strong className="field-error"> {api.draftError}</strong>}
      </span>
      <button type="button" className="primary" onClick={api.applyDraft} disabled={!!api.draftError}>Restart with changes</button>
      <button type="button" onClick={api.discardDraft}>Discard</button>
    </div>
  );
}
