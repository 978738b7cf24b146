/**
 * Per-kernel time of one async piece of work (e.g. a search step) via tf.profile: dispatch count
 * and, per kernel name, calls and summed kernel ms, split into forward passes, backward passes
 * and the rest (phase marks from ../phase.ts; slowest first).
 */
import * as tf from '@tensorflow/tfjs';
import { phaseAt, recordPhases, type Phase } from '../phase';

export interface KernelRow {
  name: string;
  count: number;
  ms: number;
  /** Calls and ms per phase: forward passes, backward passes, everything else. */
  calls: Record<Phase, number>;
  phaseMs: Record<Phase, number>;
}

/** Identity and Reshape only move references (no backend work, no GPU dispatch). */
export const NO_DISPATCH = new Set(['Identity', 'Reshape']);

export interface StepProfile {
  /** Kernel calls that do backend work (Identity/Reshape excluded). */
  dispatches: number;
  byKernel: KernelRow[];
  /** Summed kernel ms per phase; 0 everywhere when the backend reports no kernel times. */
  totals: Record<Phase, number>;
  /** Whether the backend reported kernel times (WebGPU needs timestamp queries, WebGL a timer extension). */
  timed: boolean;
}

const zero = (): Record<Phase, number> => ({ forward: 0, backward: 0, other: 0 });

/** Adds one call of `ms` in `phase` to the row of `name`. */
export function addKernelTime(rows: Map<string, KernelRow>, name: string, phase: Phase, ms: number): void {
  const r = rows.get(name) ?? { name, count: 0, ms: 0, calls: zero(), phaseMs: zero() };
  r.count++;
  r.ms += ms;
  r.calls[phase]++;
  r.phaseMs[phase] += ms;
  rows.set(name, r);
}

export async function profileStep(fn: () => Promise<void>): Promise<StepProfile> {
  const { result: info, marks } = await recordPhases(() => tf.profile(fn));
  const backend = tf.getBackend();
  const registered = new Set(tf.getKernelsForBackend(backend).map((k) => k.kernelName));
  const rows = new Map<string, KernelRow>();
  const totals = zero();
  let timed = false;
  let dispatches = 0;
  for (let i = 0; i < info.kernels.length; i++) {
    const k = info.kernels[i];
    // tf.customGrad functions appear as entries named after their scope whose time includes the
    // kernels they ran, which are listed themselves: skip them (no dispatch of their own).
    if (!registered.has(k.name)) continue;
    // kernelTimeMs is awaited by tf.profile, but may be a promise or a {error} object on some backends.
    const t = await (k.kernelTimeMs as number | Promise<number | { error: string }>);
    const ms = typeof t === 'number' && Number.isFinite(t) ? t : 0;
    if (typeof t === 'number') timed = true;
    const phase = phaseAt(marks, i);
    addKernelTime(rows, k.name, phase, ms);
    totals[phase] += ms;
    if (!NO_DISPATCH.has(k.name)) dispatches++;
  }
  return { dispatches, byKernel: [...rows.values()].sort((a, b) => b.ms - a.ms || b.count - a.count), totals, timed };
}

/** A markdown table of the top `n` rows: calls, ms forward / backward / other, share of the summed kernel time. */
export function profileTable(byKernel: KernelRow[], n = 20): string {
  const total = byKernel.reduce((a, r) => a + r.ms, 0);
  const f = (x: number) => x.toFixed(1);
  const lines = byKernel.slice(0, n).map((r) =>
    `| ${r.name} | ${r.count} | ${f(r.phaseMs.forward)} | ${f(r.phaseMs.backward)} | ${f(r.phaseMs.other)} | ${f(r.ms)} | ${total > 0 ? ((100 * r.ms) / total).toFixed(1) : '0.0'}% |`);
  const sum = (p: Phase) => f(byKernel.reduce((a, r) => a + r.phaseMs[p], 0));
  return `| kernel | calls | fwd ms | bwd ms | other ms | ms | share |\n|---|---:|---:|---:|---:|---:|---:|\n${lines.join('\n')}\n` +
    `| total | ${byKernel.reduce((a, r) => a + r.count, 0)} | ${sum('forward')} | ${sum('backward')} | ${sum('other')} | ${f(total)} | |\n`;
}
