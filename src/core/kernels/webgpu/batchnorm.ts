/**
 * Training-mode BatchNorm without affine (NHWC, statistics over R = N·H·W rows per channel) as
 * three barrier-free programs each way, replacing the composite's 7 + 7 kernels (ops.ts):
 *   forward:  per (chunk, channel) mean and M2 → per channel Chan's combination → stats [3,C] =
 *             (mean, unbiased var, inv = 1/√(biased var + eps)) → x̂ = (x − mean)·inv
 *   backward: per (chunk, channel) Σdy, Σdy·x̂ → means → dx = inv·(dy − mean(dy) − x̂·mean(dy·x̂))
 * Same contract as the CPU kernels (kernels/cpu/batchnorm.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import { chunking, columnSum, run, f, flatProgram, size, type KernelArgs } from './program';

const layout = (x: tf.TensorInfo) => {
  const C = x.shape[x.shape.length - 1];
  const R = size(x.shape) / C;
  return { C, R, ...chunking(R, 64, 4096, C) };
};

/** inputs {x}, attrs {eps} → [x̂, stats [3,C]]. */
export function bnForward({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo[] | null {
  const { x } = inputs;
  if (x.dtype !== 'float32') return null;
  const { C, R, chunk, parts } = layout(x);
  const eps = attrs.eps as number;
  const key = `${C}_${R}_${chunk}`;
  const partial = run(backend, flatProgram(`bn_fwd_part_${key}`, ['x'], [parts, 2 * C], `
        let c = index % ${C};
        let p = index / ${C};
        let r0 = p * ${chunk};
        let r1 = min(r0 + ${chunk}, ${R});
        var s = 0.0;
        for (var r = r0; r < r1; r++) { s = s + x[r * ${C} + c]; }
        let m = s / f32(r1 - r0);
        var q = 0.0;
        for (var r = r0; r < r1; r++) { let d = x[r * ${C} + c] - m; q = q + d * d; }
        result[p * ${2 * C} + c] = m;
        result[p * ${2 * C} + ${C} + c] = q;`, parts * C), [x]);
  // Chan et al.'s pairwise update: exact combination of chunk means and M2 sums
  const stats = run(backend, flatProgram(`bn_fwd_stats_${key}_${eps}`, ['part'], [3, C], `
        var n = 0.0;
        var mean = 0.0;
        var m2 = 0.0;
        for (var p = 0; p < ${parts}; p++) {
          let nb = f32(min(${chunk}, ${R} - p * ${chunk}));
          let d = part[p * ${2 * C} + index] - mean;
          let nt = n + nb;
          mean = mean + d * nb / nt;
          m2 = m2 + part[p * ${2 * C} + ${C} + index] + d * d * n * nb / nt;
          n = nt;
        }
        let v = m2 / ${f(R)};
        result[index] = mean;
        result[${C} + index] = v * ${f(Math.fround(R / Math.max(1, R - 1)))};
        result[${2 * C} + index] = 1.0 / sqrt(v + ${f(eps)});`, C), [partial]);
  backend.disposeData(partial.dataId);
  const xhat = run(backend, flatProgram(`bn_fwd_norm_${C}`, ['x', 'st'], x.shape, `
        let c = index % ${C};
        result[index] = (x[index] - st[c]) * st[${2 * C} + c];`, size(x.shape)), [x, stats]);
  return [xhat, stats];
}

/** inputs {dy, xhat, stats} → dx = inv·(dy − mean(dy) − x̂·mean(dy·x̂)). */
export function bnBackward({ inputs, backend }: KernelArgs): tf.TensorInfo | null {
  const { dy, xhat, stats } = inputs;
  if (dy.dtype !== 'float32' || xhat.dtype !== 'float32') return null;
  const { C, R, chunk, parts } = layout(dy);
  const key = `${C}_${R}_${chunk}`;
  const partial = run(backend, flatProgram(`bn_bwd_part_${key}`, ['dy', 'xh'], [parts, 2 * C], `
        let c = index % ${C};
        let p = index / ${C};
        let r0 = p * ${chunk};
        let r1 = min(r0 + ${chunk}, ${R});
        var s = 0.0;
        var sx = 0.0;
        for (var r = r0; r < r1; r++) {
          let g = dy[r * ${C} + c];
          s = s + g;
          sx = sx + g * xh[r * ${C} + c];
        }
        result[p * ${2 * C} + c] = s;
        result[p * ${2 * C} + ${C} + c] = sx;`, parts * C), [dy, xhat]);
  const means = columnSum(backend, partial, parts, 2 * C, [2, C], 1 / R);
  backend.disposeData(partial.dataId);
  const dx = run(backend, flatProgram(`bn_bwd_dx_${C}`, ['dy', 'xh', 'm', 'st'], dy.shape, `
        let c = index % ${C};
        result[index] = (dy[index] - m[c] - xh[index] * m[${C} + c]) * st[${2 * C} + c];`, size(dy.shape)), [dy, xhat, means, stats]);
  backend.disposeData(means.dataId);
  return dx;
}
