/**
 * The page's side of the worker protocol: sends commands, folds messages into one immutable
 * state object for React (useSyncExternalStore), and keeps the latest snapshot for canvas drawers
 * that redraw once per animation frame outside React's render cycle.
 */
import type { BackendName, Command, HotParams, RunInfo, RunState, Snapshot, StartOptions, WorkerMessage } from '../worker/protocol';

export interface ClientState {
  backend: { name: BackendName; reason: string; adapter: string } | null;
  info: RunInfo | null;
  state: RunState | 'starting';
  snapshot: Snapshot | null;
  error: string | null;
}

const INITIAL: ClientState = { backend: null, info: null, state: 'starting', snapshot: null, error: null };

export class RunClient {
  private worker: Worker | null = null;
  private current: ClientState = INITIAL;
  private listeners = new Set<() => void>();
  /** Bumped on every snapshot; drawers compare it with what they drew last. */
  version = 0;

  constructor(private readonly makeWorker: () => Worker, private readonly options: StartOptions) {}

  /** Starts the worker (idempotent); returns the stop function for a React effect. */
  connect = (): (() => void) => {
    if (!this.worker) {
      const w = this.makeWorker();
      w.onmessage = (ev: MessageEvent<WorkerMessage>) => this.receive(ev.data);
      w.onerror = (ev) => this.update({ error: ev.message || 'the worker failed to load' });
      this.worker = w;
      this.current = INITIAL;
      this.send({ type: 'start', options: this.options });
    }
    return () => {
      this.worker?.terminate();
      this.worker = null;
    };
  };

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getState = (): ClientState => this.current;

  play = () => this.send({ type: 'resume' });
  pause = () => this.send({ type: 'pause' });
  step = () => this.send({ type: 'step' });
  reset = () => this.send({ type: 'reset' });
  set = (params: HotParams) => this.send({ type: 'set', params });

  private send(cmd: Command): void {
    this.worker?.postMessage(cmd);
  }

  private receive(msg: WorkerMessage): void {
    switch (msg.type) {
      case 'ready':
        return this.update({ backend: { name: msg.backend, reason: msg.reason, adapter: msg.adapter } });
      case 'run':
        return this.update({ info: msg.info, snapshot: null, error: null });
      case 'state':
        return this.update({ state: msg.state });
      case 'snapshot':
        this.version++;
        return this.update({ snapshot: msg.snapshot });
      case 'error':
        return this.update({ error: msg.message });
    }
  }

  private update(patch: Partial<ClientState>): void {
    this.current = { ...this.current, ...patch };
    for (const fn of this.listeners) fn();
  }
}
