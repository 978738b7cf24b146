/**
 * Compares a computed fixture step with the fixture's `expected` at the README's recommended
 * tolerances (fixtures README §6): rel_to_max = max|ours − exp| / max|exp| over all elements of a
 * quantity (per-param objects and per-cell lists concatenated); correlations use absolute error.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

export interface CompareRow {
  key: string;
  metric: 'rel_to_max' | 'abs' | 'l2_rel' | 'equal';
  value: number;
  tol: number;
  ok: boolean;
}

export const TOLERANCES: Record<string, { rel?: number; abs?: number; l2?: number }> = {
  mixing_weights_weight_step: { rel: 1e-5 },
  train_logits: { rel: 2e-5 },
  train_loss: { rel: 2e-6 },
  cell_grads: { rel: 1e-4 },
  train_corr: { abs: 1e-5 },
  train_alignment: { abs: 1e-5 },
  perturbations: { rel: 1e-4 },
  epsilon: { rel: 3e-5 },
  forward_loss: { rel: 2e-6 },
  backward_loss: { rel: 2e-6 },
  reg_grads: { rel: 5e-2, l2: 3e-2 },
  grads_unregularized: { rel: 1e-4 },
  grads_before_clip: { rel: 3e-2, l2: 2e-2 },
  alpha_grad_in_clip_norm: { rel: 1e-4 },
  grad_norm_before_clip: { rel: 1e-2 },
  grad_norm_before_clip_weights_only: { rel: 1e-2 },
  clip_coef: { rel: 1e-2 },
  params_after: { rel: 1e-3 },
  valid_logits: { rel: 1e-3 },
  valid_loss: { rel: 1e-4 },
  'alpha_grads.raw': { rel: 5e-3 },
  'alpha_grads.with_weight_decay': { rel: 5e-3 },
  alpha_after: { rel: 3e-4 },
  valid_corr: { abs: 3e-4 },
  valid_cell_grads: { rel: 5e-3 },
  buffers_after: { rel: 2e-4 },
};

/** Flattens a scalar, a {shape, values} tensor, a per-cell list or a per-name object (in the expected object's key order). */
export function flatten(v: any, order?: any): number[] {
  if (typeof v === 'number') return [v];
  if (v && Array.isArray(v.values)) return v.values;
  if (Array.isArray(v)) return v.flatMap((x, i) => flatten(x, order?.[i]));
  if (v && typeof v === 'object') return Object.keys(order ?? v).flatMap((k) => {
    if (!(k in v)) throw new Error(`missing entry '${k}'`);
    return flatten(v[k], order?.[k]);
  });
  throw new Error(`cannot flatten ${String(v)}`);
}

function relToMax(a: number[], b: number[]): number {
  if (a.length !== b.length) return Infinity;
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return den === 0 ? num : num / den;
}

function l2Rel(a: number[], b: number[]): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

export function compareFixture(ours: Record<string, any>, fx: any): CompareRow[] {
  const exp = fx.expected;
  const rows: CompareRow[] = [];
  const one = (key: string, o: any, e: any) => {
    const tol = TOLERANCES[key];
    if (!tol) return;
    if (o === undefined) {
      rows.push({ key, metric: 'equal', value: NaN, tol: 0, ok: false });
      return;
    }
    let a: number[], b: number[];
    try {
      b = flatten(e);
      a = flatten(o, e);
    } catch {
      rows.push({ key, metric: 'equal', value: NaN, tol: 0, ok: false });
      return;
    }
    if (tol.abs !== undefined) {
      const v = Math.max(...a.map((x, i) => Math.abs(x - b[i])));
      rows.push({ key, metric: 'abs', value: v, tol: tol.abs, ok: v <= tol.abs });
    } else {
      const v = relToMax(a, b);
      rows.push({ key, metric: 'rel_to_max', value: v, tol: tol.rel!, ok: v <= tol.rel! });
    }
    if (tol.l2 !== undefined) {
      const v = l2Rel(a, b);
      rows.push({ key, metric: 'l2_rel', value: v, tol: tol.l2, ok: v <= tol.l2 });
    }
  };
  for (const key of Object.keys(exp)) {
    if (key === 'alpha_grads') {
      one('alpha_grads.raw', ours.alpha_grads?.raw, exp.alpha_grads.raw);
      one('alpha_grads.with_weight_decay', ours.alpha_grads?.with_weight_decay, exp.alpha_grads.with_weight_decay);
    } else if (key === 'arch_after' || key === 'genotype_after') {
      const ok = JSON.stringify(ours[key]) === JSON.stringify(exp[key]);
      rows.push({ key, metric: 'equal', value: ok ? 0 : 1, tol: 0, ok });
    } else {
      one(key, ours[key], exp[key]);
    }
  }
  // The update itself, params_after − params (README §6: 3e-2).
  if (exp.params_after && ours.params_after) {
    const p0 = new Map<string, number[]>(fx.params.map((p: any) => [p.name, p.values]));
    const upd = (o: any) => Object.keys(exp.params_after).flatMap((k) => o[k].values.map((v: number, i: number) => v - Math.fround(p0.get(k)![i])));
    const v = relToMax(upd(ours.params_after), upd(exp.params_after));
    rows.push({ key: 'update (params_after − params)', metric: 'rel_to_max', value: v, tol: 3e-2, ok: v <= 3e-2 });
  }
  return rows;
}
