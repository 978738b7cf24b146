/**
 * Per-kernel time of one async piece of work (e.g. a search step) via tf.profile:
 * dispatch count and, per kernel name, calls and summed kernel ms (slowest first).
 */
import * as tf from '@tensorflow/tfjs';

export interface KernelRow {
  name: string;
  count: number;
  ms: number;
}

export async function profileStep(fn: () => Promise<void>): Promise<{ dispatches: number; byKernel: KernelRow[] }> {
  const info = await tf.profile(fn);
  const rows = new Map<string, KernelRow>();
  for (const k of info.kernels) {
    // kernelTimeMs is awaited by tf.profile, but may be a promise or a {error} object on some backends.
    const t = await (k.kernelTimeMs as number | Promise<number | { error: string }>);
    const ms = typeof t === 'number' ? t : 0;
    const r = rows.get(k.name) ?? { name: k.name, count: 0, ms: 0 };
    r.count++;
    r.ms += ms;
    rows.set(k.name, r);
  }
  return { dispatches: info.kernels.length, byKernel: [...rows.values()].sort((a, b) => b.ms - a.ms) };
}

/** A markdown table of the top `n` rows with their share of the summed kernel time. */
export function profileTable(byKernel: KernelRow[], n = 20): string {
  const total = byKernel.reduce((a, r) => a + r.ms, 0);
  const lines = byKernel.slice(0, n).map((r) => `| ${r.name} | ${r.count} | ${r.ms.toFixed(1)} | ${((100 * r.ms) / total).toFixed(1)}% |`);
  return `| kernel | calls | ms | share |\n|---|---:|---:|---:|\n${lines.join('\n')}\n| total | ${byKernel.reduce((a, r) => a + r.count, 0)} | ${total.toFixed(1)} | |\n`;
}
