/** Number formatting for the readouts: '—' for missing or non-finite values. */
export function fmt(x: number | undefined | null, digits = 3): string {
  return x === undefined || x === null || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

export function pct(x: number | undefined | null): string {
  return x === undefined || x === null || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(1)}%`;
}

/** 3 significant digits, compact for small values (ε ~ 1e-4). */
export function sig(x: number | undefined | null): string {
  if (x === undefined || x === null || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  return Math.abs(x) < 1e-2 ? x.toExponential(2) : x.toPrecision(3);
}
