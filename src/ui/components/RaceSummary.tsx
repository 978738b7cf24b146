import { methodColor } from '../draw/colors';
import type { ChartStore } from '../store';
import { CollapseBadge } from './CollapseBadge';

/** One line per run at the top: its name, its step and the collapse indicator. */
export function RaceSummary({ store }: { store: ChartStore }) {
  const race = store.race!;
  return (
    <section className={`summary n${race.runs.length}`} aria-label="Collapse indicators">
      {race.runs.map((r, i) => (
        <div key={i} className="summary-run" style={{ ['--run' as string]: methodColor(r.method) }}>
          <h2>{r.label}</h2>
          <CollapseBadge store={store} run={i} />
        </div>
      ))}
    </section>
  );
}
