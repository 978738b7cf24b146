import { useId, useState } from 'react';
import type { ClientState } from '../runClient';
import type { PageApi } from '../usePage';

interface Props {
  s: ClientState;
  api: PageApi;
  hidden: Set<string>;
  upload(files: File[]): void;
}

/** The data: built-in CIFAR-10 or MNIST, or synthetic (a restart), or files by picker or drag-and-drop. */
export function DatasetPanel({ s, api, hidden, upload }: Props) {
  const id = useId();
  const [over, setOver] = useState(false);
  const spec = api.draft?.config.dataset ?? api.page.config.dataset;
  const uploadSpec = spec.startsWith('upload:') ? spec : s.race?.runs[0].config.dataset.startsWith('upload:') ? s.race.runs[0].config.dataset : null;
  const race = s.race;
  return (
    <section className="panel dataset" aria-labelledby={`${id}-t`}>
      <h2 id={`${id}-t`}>Data</h2>
      <p className="current">
        <span data-testid="dataset">{race ? race.dataset : '…'}</span>
        {race?.synthetic && <span className="badge synthetic">synthetic</span>}
        {race && <small className="muted"> · {race.split.train.toLocaleString()} images for the weights, {race.split.valid.toLocaleString()} for α</small>}
      </p>
      {!hidden.has('dataset') && (
        <div className={`field${api.draft && api.draft.config.dataset !== api.page.config.dataset ? ' staged' : ''}`}>
          <label htmlFor={`${id}-sel`}>Dataset</label>
          <select id={`${id}-sel`} value={spec} onChange={(e) => api.stage({ config: { dataset: e.target.value } })}>
            <option value="cifar10">CIFAR-10 (built in, 4,000 + 1,000 images)</option>
            <option value="mnist">MNIST (built in, 12,000 + 2,000 images)</option>
            <option value="synthetic">Synthetic gratings</option>
            {uploadSpec && <option value={uploadSpec}>Uploaded: {uploadSpec.slice(7)}</option>}
          </select>
        </div>
      )}
      {!hidden.has('dataset-upload') && (
        <div
          className={`drop${over ? ' over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            upload([...e.dataTransfer.files]);
          }}
        >
          <label htmlFor={`${id}-file`}>Upload a dataset</label>
          <input id={`${id}-file`} type="file" multiple data-testid="upload" disabled={s.upload.busy} onChange={(e) => {
            upload([...(e.target.files ?? [])]);
            e.target.value = '';
          }} />
          <small className="muted">or drop files here: CIFAR-10/100 .bin or .tar.gz, MNIST IDX, a .zip of class folders, SVHN .mat. Files stay on this machine.</small>
        </div>
      )}
      {s.upload.message && <p className="muted" data-testid="upload-status" aria-live="polite">{s.upload.message}</p>}
      {s.upload.error && <p className="notice bad" role="alert" data-testid="upload-error">{s.upload.error}</p>}
    </section>
  );
}
