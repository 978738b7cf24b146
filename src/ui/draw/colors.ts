/**
 * One colour per op string everywhere (heatmap legends, trajectories, votes, cell graphs), skip_connect
 * in the warning colour; one colour per method; the diverging scale for cosines and votes.
 */
import { interpolateRdBu, interpolateYlGnBu } from 'd3';

export const OP_COLORS: Record<string, string> = {
  none: '#adb5bd',
  skip_connect: '#e8590c',
  nor_conv_1x1: '#74c0fc',
  nor_conv_3x3: '#1864ab',
  avg_pool_3x3: '#40c057',
  max_pool_3x3: '#2b8a3e',
  sep_conv_3x3: '#7048e8',
  sep_conv_5x5: '#be4bdb',
  dil_conv_3x3: '#15aabf',
  dil_conv_5x5: '#0b7285',
  noise: '#c2255c',
};

export function opColor(op: string): string {
  return OP_COLORS[op] ?? '#868e96';
}

export const METHOD_COLORS: Record<string, string> = { darts: '#c92a6d', darts2: '#e67700', lambda: '#1c7ed6' };

export function methodColor(method: string): string {
  return METHOD_COLORS[method] ?? '#495057';
}

export const INK = '#1d2230';
export const MUTED = '#5f6778';
export const GRID = '#e6e8ee';
export const WARN = '#c92a2a';

/** Sequential scale for probabilities in [0, 1]. */
export function probColor(v: number): string {
  return interpolateYlGnBu(Math.max(0, Math.min(1, v)));
}

/** Diverging scale for values in [−1, 1]: red negative, white 0, blue positive. */
export function divergingColor(v: number): string {
  if (!Number.isFinite(v)) return '#f1f3f5';
  return interpolateRdBu((Math.max(-1, Math.min(1, v)) + 1) / 2);
}

/** Black or white text, whichever reads on `fill` (an rgb()/#hex colour). */
export function textOn(fill: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(fill) ?? /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(fill);
  if (!m) return INK;
  const [r, g, b] = m[0].startsWith('#') ? [1, 2, 3].map((i) => parseInt(m[i], 16)) : [1, 2, 3].map((i) => Number(m[i]));
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? INK : '#fff';
}
