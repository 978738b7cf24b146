import { useEffect, useState } from 'react';
import { downloadText, fileStem } from '../download';
import type { RunClient, ClientState } from '../runClient';
import { historyToRunLog, parseRunLogs, raceLog } from '../runlog';

interface Props {
  client: RunClient;
  s: ClientState;
  hidden: Set<string>;
}

/** Downloads (genotypes, run log, checkpoints) and the run-log import that starts a replay. */
export function ExportPanel({ client, s, hidden }: Props) {
  const [importError, setImportError] = useState<string | null>(null);
  const store = client.store;
  const race = store.race;
  useEffect(() => {
    client.onCheckpoint = (run, ck) => {
      const info = client.store.race?.runs[run];
      downloadText(JSON.stringify(ck), `checkpoint-${fileStem([info?.method ?? run, info?.config.space ?? '', `step${ck.meta?.step ?? ''}`])}.json`, 'application/json');
    };
    return () => void (client.onCheckpoint = null);
  }, [client]);
  const stem = race ? fileStem([race.runs.map((r) => r.method).join('-vs-'), race.runs[0].config.space, `seed${race.runs[0].config.seed}`]) : 'run';
  const exportLog = () => {
    if (!race) return;
    const logs = race.runs.map((r, i) => historyToRunLog(store.runs[i].history, race, r, s.backend?.name ?? ''));
    downloadText(JSON.stringify(logs.length === 1 ? logs[0] : raceLog(logs)), `runlog-${stem}.json`, 'application/json');
  };
  const importLogs = async (files: File[]) => {
    setImportError(null);
    try {
      const texts = await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() })));
      const { race: r, histories } = parseRunLogs(texts);
      client.enterReplay(r, histories);
    } catch (e) {
      setImportError((e as Error).message);
    }
  };
  return (
    <section className="panel export" aria-labelledby="export-title">
      <h2 id="export-title">Export and replay</h2>
      {!hidden.has('export') && race && (
        <div className="row wrap">
          {race.runs.map((r, i) => {
            const h = store.runs[i]?.history;
            const g = h && h.length ? h.genotype(store.rowOf(i)) : '';
            return (
              <button key={`g${i}`} type="button" disabled={!g} onClick={() => downloadText(`${g}\n`, `genotype-${fileStem([r.method, r.config.space, `seed${r.config.seed}`])}.txt`)}>
                Genotype: {r.label}
              </button>
            );
          })}
          <button type="button" onClick={exportLog} disabled={!store.maxRows}>Run log (JSON)</button>
          {!s.replay && race.runs.map((r, i) => (
            <button key={`c${i}`} type="button" onClick={() => client.checkpoint(i)} disabled={!s.progress}>Checkpoint: {r.label}</button>
          ))}
        </div>
      )}
      {!hidden.has('replay') && (
        <div className="field">
          <label htmlFor="replay-file">Replay a run log (this page's export or <code>npm run search</code>'s JSON)</label>
          <input id="replay-file" type="file" accept=".json,application/json" multiple data-testid="replay-file" onChange={(e) => {
            void importLogs([...(e.target.files ?? [])]);
            e.target.value = '';
          }} />
        </div>
      )}
      {importError && <p className="notice bad" role="alert" data-testid="replay-error">{importError}</p>}
    </section>
  );
}
