/**
 * Chart data, outside React: the race description and one History per run, fed by the worker's
 * snapshots (live) or by an imported run log (replay, with a cursor). Drawers read it once per
 * animation frame and compare `version` with what they drew.
 */
import { History } from '../worker/history';
import type { RaceInfo, RunStatus, Snapshot } from '../worker/protocol';

export interface RunView {
  history: History;
  status: RunStatus | null;
}

interface Source {
  race: RaceInfo | null;
  runs: RunView[];
}

export class ChartStore {
  private live: Source = { race: null, runs: [] };
  private replayed: Source | null = null;
  /** Row shown in replay (index into each run's history); null = the latest row. */
  cursor: number | null = null;
  /** Bumped on every change a chart could show. */
  version = 0;

  get replay(): boolean {
    return this.replayed !== null;
  }
  get race(): RaceInfo | null {
    return (this.replayed ?? this.live).race;
  }
  get runs(): RunView[] {
    return (this.replayed ?? this.live).runs;
  }

  setRace(race: RaceInfo): void {
    this.live = { race, runs: race.runs.map(() => ({ history: new History(race.widths), status: null })) };
    if (!this.replayed) this.version++;
  }

  applySnapshot(s: Snapshot): void {
    for (const u of s.runs) {
      const r = this.live.runs[u.run];
      if (!r) continue;
      r.history.appendRows(u.rows);
      r.status = u.status;
    }
    if (!this.replayed) this.version++;
  }

  enterReplay(race: RaceInfo, histories: History[]): void {
    this.replayed = { race, runs: histories.map((history) => ({ history, status: null })) };
    this.cursor = Math.max(0, ...histories.map((h) => h.length - 1));
    this.version++;
  }

  exitReplay(): void {
    this.replayed = null;
    this.cursor = null;
    this.version++;
  }

  setCursor(row: number): void {
    this.cursor = row;
    this.version++;
  }

  /** Rows recorded by a live run (also while replaying a log). */
  liveLength(run: number): number {
    return this.live.runs[run]?.history.length ?? 0;
  }

  /** Rows in the longest history. */
  get maxRows(): number {
    return Math.max(0, ...this.runs.map((r) => r.history.length));
  }

  /** The row to show for a run: the cursor (clamped) in replay, else the last. */
  rowOf(run: number): number {
    const h = this.runs[run]?.history;
    if (!h || h.length === 0) return -1;
    return this.cursor === null ? h.length - 1 : Math.min(this.cursor, h.length - 1);
  }

  /** Rows [0, rowOf + 1) of a run: what the time-series charts draw. */
  shownRows(run: number): number {
    return this.rowOf(run) + 1;
  }

  /** Shared time axis: [0, largest step shown + 1]. */
  xDomain(): [number, number] {
    let hi = 1;
    this.runs.forEach((r, i) => {
      const n = this.shownRows(i);
      if (n > 0) hi = Math.max(hi, r.history.get('step', n - 1) + 1);
    });
    if (this.cursor !== null) hi = Math.max(hi, ...this.runs.map((r) => (r.history.length ? r.history.get('step', r.history.length - 1) + 1 : 1)));
    return [0, hi];
  }
}
