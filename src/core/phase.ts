/**
 * Phase marks for the kernel profiler: while `recordPhases` is active, `markPhase` notes where in
 * tf.profile's kernel list a forward pass starts, where its backward pass starts, and where the
 * pass ends, so per-kernel time can be split into forward, backward and the rest (optimizer,
 * alignment, α step). Outside a recording `markPhase` only sets `currentPhase()`.
 */
import * as tf from '@tensorflow/tfjs';

export type Phase = 'forward' | 'backward' | 'other';

export interface PhaseMark {
  phase: Phase;
  /** Index into the active profile's kernel list where `phase` starts. */
  at: number;
}

let marks: PhaseMark[] | null = null;
let current: Phase = 'other';

/** The phase the last mark entered (for wrappers that time kernels themselves). */
export function currentPhase(): Phase {
  return current;
}

interface ProfilingState {
  profiling: boolean;
  activeProfile: { kernels: unknown[] };
}

export function markPhase(phase: Phase): void {
  current = phase;
  if (!marks) return;
  const st = tf.engine().state as unknown as ProfilingState;
  if (st.profiling) marks.push({ phase, at: st.activeProfile.kernels.length });
}

/** Runs `fn` (which calls tf.profile) while recording phase marks; returns its result and the marks. */
export async function recordPhases<T>(fn: () => Promise<T>): Promise<{ result: T; marks: PhaseMark[] }> {
  const own: PhaseMark[] = [];
  marks = own;
  try {
    return { result: await fn(), marks: own };
  } finally {
    marks = null;
  }
}

/** The phase of kernel `i` given marks in order (kernels before the first mark are 'other'). */
export function phaseAt(sorted: PhaseMark[], i: number): Phase {
  let p: Phase = 'other';
  for (const m of sorted) {
    if (m.at > i) break;
    p = m.phase;
  }
  return p;
}
