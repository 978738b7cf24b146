import { useEffect, useSyncExternalStore } from 'react';
import { ConfirmBar } from './components/ConfirmBar';
import { DatasetPanel } from './components/DatasetPanel';
import { EvalPanel } from './components/EvalPanel';
import { ExportPanel } from './components/ExportPanel';
import { Notices } from './components/Notices';
import { PresetPanel } from './components/PresetPanel';
import { Nb201Panel } from './components/Nb201Panel';
import { KeyCharts, MoreCharts } from './components/RaceCharts';
import { RaceSummary } from './components/RaceSummary';
import { ReplayBar } from './components/ReplayBar';
import { RunColumn } from './components/RunColumn';
import { SettingsPanel } from './components/SettingsPanel';
import { TeacherPanel } from './components/TeacherPanel';
import { Toolbar } from './components/Toolbar';
import { useKeyboard } from './keyboard';
import { nb201Store } from './nb201';
import type { RunClient } from './runClient';
import type { PageState } from './url';
import { usePage } from './usePage';

export function App({ client, initial, warnings = [] }: { client: RunClient; initial: PageState; warnings?: string[] }) {
  useEffect(client.connect, [client]);
  // the NAS-Bench-201 table from the URL (nb201=<url>), parsed once on this thread
  useEffect(() => {
    if (initial.nb201) void nb201Store.loadUrl(initial.nb201);
  }, [initial.nb201]);
  const s = useSyncExternalStore(client.subscribe, client.getState);
  const api = usePage(initial, client);
  const hidden = new Set(api.page.hide);
  const race = client.store.race;
  const playing = s.state === 'running';
  const canStep = !!s.race && !playing && s.state !== 'done' && s.state !== 'lost' && s.state !== 'loading' && !s.replay;
  useKeyboard({ toggle: () => (playing ? client.pause() : s.race && !s.replay && s.state !== 'done' && client.play()), step: () => canStep && client.step() });

  // an upload switches the data without a staged change: keep the URL's dataset in step
  const liveDataset = s.race?.runs[0].config.dataset;
  useEffect(() => {
    if (liveDataset && liveDataset !== api.page.config.dataset && liveDataset.startsWith('upload:')) api.patch({ config: { ...api.page.config, dataset: liveDataset } });
  }, [liveDataset]); // only when the worker's dataset changes

  const exportable = !hidden.has('export');
  return (
    <main className="app" data-tensors={s.progress?.tensors} data-tick={s.tick}>
      <header className="top">
        <div>
          <h1>Λ-DARTS Playground</h1>
          <p className="tagline">Differentiable architecture search with and without the Λ regularizer, trained live in your browser.</p>
        </div>
        <p className="backend">
          <strong data-testid="backend" className={`badge ${s.backend?.name ?? 'none'}`}>{s.backend?.name ?? 'choosing…'}</strong>
          {s.backend && <span className="muted" data-testid="backend-reason">{s.backend.reason}{s.backend.adapter && ` · ${s.backend.adapter}`}</span>}
        </p>
      </header>

      <div className="side">
        <PresetPanel api={api} hidden={hidden} />
        <DatasetPanel s={s} api={api} hidden={hidden} upload={client.upload} />
        <Nb201Panel space={s.race?.runs[0].config.space} />
        {!hidden.has('settings') && <SettingsPanel api={api} hidden={hidden} hot={s.hot} />}
        {!(hidden.has('export') && hidden.has('replay')) && <ExportPanel client={client} s={s} hidden={hidden} />}
        {!hidden.has('teacher') && <TeacherPanel api={api} />}
      </div>

      <div className="main">
        <div className="sticky">
          <Toolbar s={s} api={api} hidden={hidden} play={client.play} pause={client.pause} step={client.step} reset={client.reset} />
          <ConfirmBar api={api} />
          {s.replay && <ReplayBar client={client} />}
        </div>
        <Notices s={s} warnings={warnings} recover={() => client.recover()} />
        {race ? (
          <>
            <RaceSummary store={client.store} />
            <KeyCharts store={client.store} exportable={exportable} />
            <div className={`runs n${race.runs.length}`}>
              {race.runs.map((r, i) => <RunColumn key={`${r.method}-${i}`} store={client.store} run={i} s={s} exportable={exportable} recover={client.recover} />)}
            </div>
            {!hidden.has('eval') && <EvalPanel client={client} backends={api.page.backends} exportable={exportable} />}
            <MoreCharts store={client.store} exportable={exportable} />
          </>
        ) : (
          <p className="loading muted">{s.error ? '' : 'Starting the search worker and loading data…'}</p>
        )}
      </div>

      <footer className="foot">
        <p>
          Keyboard: <kbd>Space</kbd> play / pause, <kbd>S</kbd> one step (when focus is not in a field). Everything you set is in the URL: copy it to share or
          reproduce this run. Movahedi et al., <cite>Λ-DARTS</cite>, ICLR 2023.
        </p>
      </footer>
    </main>
  );
}
