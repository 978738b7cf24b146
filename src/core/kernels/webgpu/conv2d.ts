/**
 * Conv2D and its two gradients (NHWC, float32) as barrier-free WGSL: one invocation per output
 * element; the filter gradient sums N·Ho·Wo products per weight in chunks, then adds the chunks
 * (program.ts columnSum). Every geometry constant is compiled in (few distinct shapes per run).
 */
import * as tf from '@tensorflow/tfjs';
import { chunking, columnSum, flatProgram, run, size, unravel, type KernelArgs } from './program';

type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

const nhwc = (a: Record<string, unknown>) => a.dataFormat == null || a.dataFormat === 'NHWC' || a.dataFormat === 'channelsLast';
const ok = (...ts: tf.TensorInfo[]) => ts.every((t) => t.dtype === 'float32');

/** Geometry as WGSL constants and a shader-key suffix. */
function geometry(c: ConvInfo): { key: string; decls: string } {
  const g: Record<string, number> = {
    N: c.batchSize, H: c.inHeight, W: c.inWidth, CI: c.inChannels, HO: c.outHeight, WO: c.outWidth, CO: c.outChannels,
    KH: c.filterHeight, KW: c.filterWidth, SH: c.strideHeight, SW: c.strideWidth, DH: c.dilationHeight, DW: c.dilationWidth,
    PT: c.padInfo.top, PL: c.padInfo.left,
  };
  return {
    key: Object.values(g).join('_'),
    decls: Object.entries(g).map(([k, v]) => `const ${k} : i32 = ${v};`).join('\n'),
  };
}

/** y[n,oy,ox,co] = Σ_{ky,kx,ci} x[n, oy·s − p + ky·d, ox·s − p + kx·d, ci] · w[ky,kx,ci,co]. */
export function conv2D({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { x, filter } = inputs;
  if (!nhwc(attrs) || !ok(x, filter) || x.shape.length !== 4) return null;
  const c = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
    attrs.strides as number, attrs.dilations as number, attrs.pad as 'same', attrs.dimRoundingMode as 'floor', false, 'channelsLast');
  const g = geometry(c);
  const L = c.outChannels % 4 === 0 ? 4 : 1; // 4 output channels per invocation, w as vec4 along co
  const prog = flatProgram(`conv2d${L}_${g.key}`, ['x', 'w'], c.outShape, `
        ${unravel('index', ['co', 'ox', 'oy', 'n'], [`CO / ${L}`, 'WO', 'HO'])}
        var acc = ${L === 4 ? 'vec4<f32>(0.0)' : '0.0'};
        for (var ky = 0; ky < KH; ky++) {
          let iy = oy * SH - PT + ky * DH;
          if (iy < 0 || iy >= H) { continue; }
          for (var kx = 0; kx < KW; kx++) {
            let ix = ox * SW - PL + kx * DW;
            if (ix < 0 || ix >= W) { continue; }
            let xb = ((n * H + iy) * W + ix) * CI;
            let wb = (ky * KW + kx) * CI * (CO / ${L}) + co;
            for (var ci = 0; ci < CI; ci++) { acc = acc + x[xb + ci] * w[wb + ci * (CO / ${L})]; }
          }
        }
        result[index] = acc;`, size(c.outShape) / L, g.decls, L === 4 ? { inputs: [1, 4], output: true } : {});
  return run(backend, prog, [x, filter]);
}

/** dx[n,iy,ix,ci] = Σ over (ky,kx) with (iy + p − ky·d) = oy·s of Σ_co dy[n,oy,ox,co] · w[ky,kx,ci,co]. */
export function conv2DBackpropInput({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { dy, filter } = inputs;
  if (!nhwc(attrs) || !ok(dy, filter)) return null;
  const c = tf.backend_util.computeConv2DInfo(attrs.inputShape as [number, number, number, number], filter.shape as [number, number, number, number],
    attrs.strides as number, 1, attrs.pad as 'same', attrs.dimRoundingMode as 'floor', false, 'channelsLast');
  const g = geometry(c);
  const v = c.outChannels % 4 === 0; // dy and w as vec4 along co: one dot() per 4 products
  const prog = flatProgram(`conv2d_dx${v ? 4 : 1}_${g.key}`, ['dy', 'w'], c.inShape, `
        ${unravel('index', ['ci', 'ix', 'iy', 'n'], ['CI', 'W', 'H'])}
        var acc = 0.0;
        for (var ky = 0; ky < KH; ky++) {
          let ty = iy + PT - ky * DH;
          if (ty < 0 || ty % SH != 0) { continue; }
          let oy = ty / SH;
          if (oy >= HO) { continue; }
          for (var kx = 0; kx < KW; kx++) {
            let tx = ix + PL - kx * DW;
            if (tx < 0 || tx % SW != 0) { continue; }
            let ox = tx / SW;
            if (ox >= WO) { continue; }
            let db = ((n * HO + oy) * WO + ox) * ${v ? '(CO / 4)' : 'CO'};
            let wb = ((ky * KW + kx) * CI + ci) * ${v ? '(CO / 4)' : 'CO'};
            ${v ? 'for (var q = 0; q < CO / 4; q++) { acc = acc + dot(dy[db + q], w[wb + q]); }'
              : 'for (var co = 0; co < CO; co++) { acc = acc + dy[db + co] * w[wb + co]; }'}
          }
        }
        result[index] = acc;`, size(c.inShape), g.decls, v ? { inputs: [4, 4] } : {});
  return run(backend, prog, [dy, filter]);
}

/** dw[ky,kx,ci,co] = Σ_{n,oy,ox} x[n, oy·s − p + ky·d, ox·s − p + kx·d, ci] · dy[n,oy,ox,co], in chunks of (n,oy,ox). */
export function conv2DBackpropFilter({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { x, dy } = inputs;
  if (!nhwc(attrs) || !ok(x, dy) || x.shape.length !== 4) return null;
  const c = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape as [number, number, number, number],
    attrs.strides as number, 1, attrs.pad as 'same', attrs.dimRoundingMode as 'floor', false, 'channelsLast');
  const g = geometry(c);
  const F = size(c.filterShape);
  const R = c.batchSize * c.outHeight * c.outWidth;
  const { chunk, parts } = chunking(R, 64, 32768, F);
  const v = c.outChannels % 4 === 0; // 4 output channels per invocation, dy as vec4 along co
  const L = v ? 4 : 1;
  const prog = flatProgram(`conv2d_dw${L}_${g.key}_${chunk}`, ['x', 'dy'], parts === 1 ? c.filterShape : [parts, F], `
        ${unravel('index', ['co', 'ci', 'kx', 'ky', 'part'], [`CO / ${L}`, 'CI', 'KW', 'KH'])}
        let r0 = part * ${chunk};
        let r1 = min(r0 + ${chunk}, ${R});
        var acc = ${v ? 'vec4<f32>(0.0)' : '0.0'};
        for (var r = r0; r < r1; r++) {
          ${unravel('r', ['ox', 'oy', 'n'], ['WO', 'HO'])}
          let iy = oy * SH - PT + ky * DH;
          let ix = ox * SW - PL + kx * DW;
          if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
            acc = acc + x[((n * H + iy) * W + ix) * CI + ci] * dy[r * (CO / ${L}) + co];
          }
        }
        result[index] = acc;`, (parts * F) / L, g.decls, v ? { inputs: [1, 4], output: true } : {});
  const partial = run(backend, prog, [x, dy]);
  if (parts === 1) return partial;
  const out = columnSum(backend, partial, parts, F, c.filterShape);
  backend.disposeData(partial.dataId);
  return out;
}
