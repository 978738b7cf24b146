/**
 * Image resampling on the CPU, one HWC image at a time: exact block averaging (area) when the
 * output size divides the input size (32→16, 28→14), else bilinear with half-pixel centers.
 */

/** Resize src (HWC at srcOff) to outH×outW into out (HWC at outOff), values unchanged in scale. */
export function resizeImage(
  src: ArrayLike<number>, srcOff: number, h: number, w: number, c: number,
  out: Float32Array, outOff: number, outH: number, outW: number,
): void {
  if (h === outH && w === outW) {
    for (let i = 0; i < h * w * c; i++) out[outOff + i] = src[srcOff + i];
  } else if (h % outH === 0 && w % outW === 0) {
    const ky = h / outH, kx = w / outW, inv = 1 / (ky * kx);
    for (let y = 0; y < outH; y++)
      for (let x = 0; x < outW; x++)
        for (let ch = 0; ch < c; ch++) {
          let s = 0;
          for (let dy = 0; dy < ky; dy++)
            for (let dx = 0; dx < kx; dx++) s += src[srcOff + ((y * ky + dy) * w + x * kx + dx) * c + ch];
          out[outOff + (y * outW + x) * c + ch] = s * inv;
        }
  } else {
    for (let y = 0; y < outH; y++) {
      const sy = Math.min(Math.max((y + 0.5) * (h / outH) - 0.5, 0), h - 1);
      const y0 = Math.floor(sy), y1 = Math.min(y0 + 1, h - 1), fy = sy - y0;
      for (let x = 0; x < outW; x++) {
        const sx = Math.min(Math.max((x + 0.5) * (w / outW) - 0.5, 0), w - 1);
        const x0 = Math.floor(sx), x1 = Math.min(x0 + 1, w - 1), fx = sx - x0;
        for (let ch = 0; ch < c; ch++) {
          const p = (yy: number, xx: number) => src[srcOff + (yy * w + xx) * c + ch];
          const top = p(y0, x0) * (1 - fx) + p(y0, x1) * fx;
          const bot = p(y1, x0) * (1 - fx) + p(y1, x1) * fx;
          out[outOff + (y * outW + x) * c + ch] = top * (1 - fy) + bot * fy;
        }
      }
    }
  }
}

/** Center-crop an HWC byte image to a square, then resize it to size×size bytes (rounded). */
export function squareResizeBytes(data: Uint8Array, h: number, w: number, c: number, size: number): Uint8Array {
  const side = Math.min(h, w);
  const y0 = Math.floor((h - side) / 2), x0 = Math.floor((w - side) / 2);
  const crop = new Uint8Array(side * side * c);
  for (let y = 0; y < side; y++) crop.set(data.subarray(((y0 + y) * w + x0) * c, ((y0 + y) * w + x0 + side) * c), y * side * c);
  const f = new Float32Array(size * size * c);
  resizeImage(crop, 0, side, side, c, f, 0, size, size);
  const out = new Uint8Array(f.length);
  for (let i = 0; i < f.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(f[i])));
  return out;
}
