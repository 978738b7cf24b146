/**
 * CPU augmentation of one normalized HWC float image, as torchvision's
 * RandomCrop(size, padding=pad) then RandomHorizontalFlip(): the padding is black (0 before
 * normalization, i.e. −mean/std after). Draws per image from the rng: dy, dx, then flip.
 */
import type { Rng } from '../core/rng';

/** Padding scaled with the side: 4 px at 32, 2 at 16, 4 at 28 (round(side/8), ≥1). */
export function cropPadding(side: number): number {
  return Math.max(1, Math.round(side / 8));
}

export function augmentInto(
  src: Float32Array, so: number, dst: Float32Array, d0: number,
  side: number, channels: number, pad: number, padValue: Float32Array, rng: Rng,
): void {
  const dy = rng.int(2 * pad + 1) - pad;
  const dx = rng.int(2 * pad + 1) - pad;
  const flip = rng.uniform() < 0.5;
  for (let y = 0; y < side; y++) {
    const sy = y + dy;
    for (let x = 0; x < side; x++) {
      const sx = (flip ? side - 1 - x : x) + dx;
      const o = d0 + (y * side + x) * channels;
      if (sy < 0 || sy >= side || sx < 0 || sx >= side) for (let c = 0; c < channels; c++) dst[o + c] = padValue[c];
      else {
        const s = so + (sy * side + sx) * channels;
        for (let c = 0; c < channels; c++) dst[o + c] = src[s + c];
      }
    }
  }
}
