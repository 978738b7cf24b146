import { collapseVerdict, meanMaxP } from '../collapse';
import type { ChartStore } from '../store';

/** The collapse indicator of one run at the shown row. */
export function CollapseBadge({ store, run }: { store: ChartStore; run: number }) {
  const race = store.race;
  const h = store.runs[run]?.history;
  const row = store.rowOf(run);
  if (!race || !h || row < 0) return <p className="collapse pending" data-testid={`collapse-${run}`}>No step yet.</p>;
  const edges = race.alphas.length > 1 ? 2 * race.runs[run].config.steps : race.alphas[0].numEdges;
  const before = row - race.stepsPerEpoch;
  const v = collapseVerdict({
    skipCount: h.get('skipCount', row), paramFreeCount: h.get('paramFreeCount', row), edges,
    skipBefore: before >= 0 ? h.get('skipCount', before) : NaN,
    meanMaxP: meanMaxP(h.vector('softmax', row), race.alphas[0].numEdges, race.alphas[0].ops.length), ops: race.alphas[0].ops.length,
  });
  return (
    <p className={`collapse ${v.level}`} data-testid={`collapse-${run}`} data-level={v.level}>
      <strong>{v.label}</strong> {v.text.replace(/^\w+: /, '')}
      {v.trend === 'up' && <span aria-hidden="true"> ↑</span>}
    </p>
  );
}
