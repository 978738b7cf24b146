/**
 * The run loop behind the worker: one Search at a time, stepped while playing or once per `step`
 * command, yielding a macrotask between steps so that commands get through. Snapshots are
 * coalesced to at most one per SNAPSHOT_MS. No DOM, no `self`: worker.ts wires it to postMessage.
 */
import * as tf from '@tensorflow/tfjs';
import { makeConfig, type RunConfig } from '../core/config';
import { Search, type StepMetrics } from '../core/search';
import { dartsEdges, NB201_EDGES } from '../core/spaces';
import { loadDemoData } from './data';
import type { Command, RunInfo, RunState, Snapshot, StartOptions, WorkerMessage } from './protocol';

/** About one animation frame at 30–60 Hz. */
export const SNAPSHOT_MS = 33;

/** Resolves on the next macrotask (MessageChannel: no 4 ms timer clamping, lets queued messages in). */
const channel = typeof MessageChannel !== 'undefined' ? new MessageChannel() : null;
const waiting: (() => void)[] = [];
if (channel) channel.port1.onmessage = () => waiting.shift()?.();
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    if (!channel) return void setTimeout(resolve, 0);
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });
}

export class Runner {
  private search: Search | null = null;
  private options: StartOptions = {};
  private playing = false;
  private pendingSteps = 0;
  private restartPending = false;
  private pumping = false;
  private stepTimes: number[] = [];
  private lastPost = -Infinity;
  private held: Snapshot | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly post: (msg: WorkerMessage) => void,
    /** Where public/ is served (import.meta.env.BASE_URL). */
    private readonly baseUrl = '/',
  ) {}

  handle(cmd: Command): void {
    switch (cmd.type) {
      case 'start':
        this.options = { ...cmd.options, config: { ...cmd.options.config } };
        this.restartPending = true;
        break;
      case 'reset':
        this.restartPending = true;
        break;
      case 'pause':
        this.playing = false;
        this.pendingSteps = 0;
        if (this.pumping) this.postState();
        break;
      case 'resume':
        this.playing = true;
        if (this.pumping) this.postState();
        break;
      case 'step':
        if (!this.playing) this.pendingSteps = 1;
        break;
      case 'set':
        try {
          this.search?.setHot(cmd.params);
          this.options.config = { ...this.options.config, ...cmd.params };
        } catch (e) {
          this.fail(e);
        }
        return;
    }
    void this.pump();
  }

  /** Idle: posts the state. Busy: the loop picks the new flags up after its current step. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    this.stepTimes = [];
    if (this.playing || this.pendingSteps > 0) this.postState();
    try {
      for (;;) {
        if (this.restartPending) {
          await this.restart();
          continue;
        }
        const s = this.search;
        if (!s || s.done || !(this.playing || this.pendingSteps > 0)) break;
        if (!this.playing) this.pendingSteps--;
        const m = await s.step();
        if (s !== this.search) continue;
        this.emit(this.snapshot(m, s));
        if (m.nonFinite) throw new Error(`step ${m.step + 1}: ${m.nonFinite} is not finite; the run stopped (try a smaller learning rate)`);
        await nextMacrotask();
      }
    } catch (e) {
      this.playing = false;
      this.pendingSteps = 0;
      this.fail(e);
    } finally {
      this.pumping = false;
      this.flush();
      this.postState();
    }
  }

  private async restart(): Promise<void> {
    this.restartPending = false;
    this.search?.dispose();
    this.search = null;
    this.held = null;
    this.playing = this.options.autoplay ?? true;
    this.pendingSteps = 0;
    this.post({ type: 'state', state: 'loading', step: 0 });
    const cfg: RunConfig = makeConfig(this.options.config);
    const { data, note } = await loadDemoData(this.options.dataset ?? 'mnist', cfg, this.baseUrl);
    if (this.restartPending) return; // another start/reset arrived while loading
    const search = new Search(cfg, data);
    this.search = search;
    const info: RunInfo = {
      config: { ...search.cfg }, dataset: data.name, synthetic: data.synthetic, datasetNote: note,
      stepsPerEpoch: search.stepsPerEpoch, totalSteps: search.totalSteps,
      alphas: search.net.alphas.map((a) => ({ name: a.name, numEdges: a.numEdges, ops: [...a.ops[0]], edges: edgeLabels(cfg, a.numEdges) })),
    };
    this.post({ type: 'run', info });
    this.stepTimes = [];
    this.postState();
  }

  private snapshot(m: StepMetrics, s: Search): Snapshot {
    const now = performance.now();
    this.stepTimes.push(now);
    if (this.stepTimes.length > 10) this.stepTimes.shift();
    const n = this.stepTimes.length;
    const span = this.stepTimes[n - 1] - this.stepTimes[0];
    return {
      step: s.globalStep, epoch: m.epoch, stepInEpoch: m.stepInEpoch, genotype: m.genotype, skipCount: m.skipCount,
      trainLoss: m.trainLoss, validLoss: m.validLoss, trainAcc: m.trainAcc, validAcc: m.validAcc,
      trainCorr: m.trainCorr, validCorr: m.validCorr, lambdaE: m.lambdaE, epsilon: m.epsilon, lr: m.lr,
      stepsPerSec: n > 1 && span > 0 ? ((n - 1) * 1000) / span : 1000 / Math.max(m.ms, 1e-3),
      msPerStep: m.ms, softmax: m.softmax, nonFinite: m.nonFinite, tensors: tf.memory().numTensors,
    };
  }

  /** Posts now, or holds the latest until SNAPSHOT_MS after the previous post. */
  private emit(snap: Snapshot): void {
    this.held = snap;
    const wait = this.lastPost + SNAPSHOT_MS - performance.now();
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const snap = this.held;
    if (!snap) return;
    this.held = null;
    this.lastPost = performance.now();
    this.post({ type: 'snapshot', snapshot: snap });
  }

  private postState(): void {
    const s = this.search;
    if (!s) return;
    const state: RunState = s.done ? 'done' : this.playing ? 'running' : this.pumping ? 'stepping' : 'paused';
    this.post({ type: 'state', state, step: s.globalStep });
  }

  private fail(e: unknown): void {
    this.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

/** "from→to" per α row. */
function edgeLabels(cfg: RunConfig, numEdges: number): string[] {
  const edges = cfg.space === 'nb201' ? NB201_EDGES : dartsEdges(cfg.steps);
  return Array.from({ length: numEdges }, (_, e) => (edges[e] ? `${edges[e][1]}→${edges[e][0]}` : `e${e}`));
}
