/**
 * DepthwiseConv2dNative and its two gradients, NHWC, filter [kh, kw, C, m], output channel
 * c·m + q. Unlike the stock gradient kernels these honour dilation (the stock ones compute the
 * padding for the dilated filter but then index it as if undilated). Multiplier 1 with width
 * stride 1 (the supernet's case) runs row-wise (`depthwise_rows.ts`); the rest per pixel here.
 */
import * as tf from '@tensorflow/tfjs';
import { forwardRows, filterGradRows, inputGradRows } from './depthwise_rows';
import { allFinite, f32, out, type KernelArgs, type Shape4 } from './util';

type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;
type Pad = Parameters<typeof tf.backend_util.computeConv2DInfo>[4];
type Rounding = Parameters<typeof tf.backend_util.computeConv2DInfo>[5];

function info(xShape: number[], wShape: number[], a: Record<string, unknown>): ConvInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as Shape4, wShape as Shape4, a.strides as [number, number], (a.dilations ?? 1) as [number, number],
    a.pad as Pad, a.dimRoundingMode as Rounding, true,
  );
}

/** Geometry shared by the three kernels. */
function geom(ci: ConvInfo) {
  return {
    B: ci.batchSize, H: ci.inHeight, W: ci.inWidth, C: ci.inChannels, OH: ci.outHeight, OW: ci.outWidth,
    M: ci.outChannels / ci.inChannels, KH: ci.filterHeight, KW: ci.filterWidth,
    sh: ci.strideHeight, sw: ci.strideWidth, dh: ci.dilationHeight, dw: ci.dilationWidth,
    pt: ci.padInfo.top, pl: ci.padInfo.left,
  };
}

/** y[b,oy,ox,c·m+q] = Σ_{kh,kw} x[b, oy·sh − pt + kh·dh, ox·sw − pl + kw·dw, c] · w[kh,kw,c,q]. */
export function depthwiseConv2dNative({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { x, filter } = inputs;
  const xv = f32(backend, x), wv = f32(backend, filter);
  if (!xv || !wv) return null;
  const ci = info(x.shape, filter.shape, attrs);
  const { B, H, W, C, OH, OW, M, KH, KW, sh, sw, dh, dw, pt, pl } = geom(ci);
  if ((sh > 1 || sw > 1) && (dh > 1 || dw > 1)) return null; // the stock kernel raises its error
  const g = { B, H, W, C, OH, OW, KH, KW, sh, dh, dw, pt, pl };
  if (M === 1 && sw === 1) return out(backend, ci.outShape, forwardRows(xv, wv, g, allFinite(xv)));
  const CO = C * M;
  const y = new Float32Array(B * OH * OW * CO);
  const acc = new Float64Array(CO);
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        acc.fill(0);
        for (let kh = 0; kh < KH; kh++) {
          const iy = oy * sh - pt + kh * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const ix = ox * sw - pl + kw * dw;
            if (ix < 0 || ix >= W) continue;
            const xo = ((b * H + iy) * W + ix) * C;
            const wo = (kh * KW + kw) * CO;
            if (M === 1) {
              for (let c = 0; c < C; c++) acc[c] += xv[xo + c] * wv[wo + c];
            } else {
              for (let c = 0; c < C; c++) {
                const v = xv[xo + c];
                for (let q = 0; q < M; q++) acc[c * M + q] += v * wv[wo + c * M + q];
              }
            }
          }
        }
        y.set(acc, ((b * OH + oy) * OW + ox) * CO);
      }
    }
  }
  return out(backend, ci.outShape, y);
}

/** dx[b,iy,ix,c] = Σ over the taps that read it of Σ_q dy[b,oy,ox,c·m+q] · w[kh,kw,c,q]. */
export function depthwiseConv2dNativeBackpropInput({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { dy, filter } = inputs;
  const dyv = f32(backend, dy), wv = f32(backend, filter);
  if (!dyv || !wv) return null;
  const ci = info(attrs.inputShape as number[], filter.shape, attrs);
  const { B, H, W, C, OH, OW, M, KH, KW, sh, sw, dh, dw, pt, pl } = geom(ci);
  const g = { B, H, W, C, OH, OW, KH, KW, sh, dh, dw, pt, pl };
  if (M === 1 && sw === 1) return out(backend, ci.inShape, inputGradRows(dyv, wv, g, allFinite(dyv)));
  const CO = C * M;
  const dx = new Float64Array(B * H * W * C);
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const go = ((b * OH + oy) * OW + ox) * CO;
        for (let kh = 0; kh < KH; kh++) {
          const iy = oy * sh - pt + kh * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const ix = ox * sw - pl + kw * dw;
            if (ix < 0 || ix >= W) continue;
            const xo = ((b * H + iy) * W + ix) * C;
            const wo = (kh * KW + kw) * CO;
            if (M === 1) {
              for (let c = 0; c < C; c++) dx[xo + c] += dyv[go + c] * wv[wo + c];
            } else {
              for (let c = 0; c < C; c++) {
                let s = 0;
                for (let q = 0; q < M; q++) s += dyv[go + c * M + q] * wv[wo + c * M + q];
                dx[xo + c] += s;
              }
            }
          }
        }
      }
    }
  }
  return out(backend, ci.inShape, Float32Array.from(dx));
}

/** dw[kh,kw,c,q] = Σ_{b,oy,ox} x[b, oy·sh − pt + kh·dh, ox·sw − pl + kw·dw, c] · dy[b,oy,ox,c·m+q]. */
export function depthwiseConv2dNativeBackpropFilter({ inputs, backend, attrs = {} }: KernelArgs): tf.TensorInfo | null {
  const { x, dy } = inputs;
  const xv = f32(backend, x), dyv = f32(backend, dy);
  if (!xv || !dyv) return null;
  const fs = attrs.filterShape as number[];
  const ci = info(x.shape, fs, attrs);
  const { B, H, W, C, OH, OW, M, KH, KW, sh, sw, dh, dw, pt, pl } = geom(ci);
  const g = { B, H, W, C, OH, OW, KH, KW, sh, dh, dw, pt, pl };
  if (M === 1 && sw === 1) return out(backend, [KH, KW, C, M], filterGradRows(xv, dyv, g));
  const CO = C * M;
  const acc = new Float64Array(KH * KW * CO);
  const skip = allFinite(dyv);
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const go = ((b * OH + oy) * OW + ox) * CO;
        for (let kh = 0; kh < KH; kh++) {
          const iy = oy * sh - pt + kh * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const ix = ox * sw - pl + kw * dw;
            if (ix < 0 || ix >= W) continue;
            const xo = ((b * H + iy) * W + ix) * C;
            const ao = (kh * KW + kw) * CO;
            if (M === 1) {
              for (let c = 0; c < C; c++) acc[ao + c] += xv[xo + c] * dyv[go + c];
            } else {
              for (let c = 0; c < C; c++) {
                const v = xv[xo + c];
                if (v === 0 && skip) continue;
                for (let q = 0; q < M; q++) acc[ao + c * M + q] += v * dyv[go + c * M + q];
              }
            }
          }
        }
      }
    }
  }
  return out(backend, [KH, KW, C, M], Float32Array.from(acc));
}
