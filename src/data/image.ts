/**
 * Image file → pixels. PNG is decoded in pure JS everywhere (png.ts). JPEG uses the platform
 * decoder where there is one (createImageBitmap + OffscreenCanvas: browser tab and worker);
 * Node has none installed, so there a JPEG throws a DataError asking for PNG.
 */
import { DataError, MAX_IMAGE_PIXELS } from './errors';
import { decodePng, isPng, type RawImage } from './png';

export function isJpeg(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

/** Whether this runtime can decode JPEG (browser tab or worker). */
export function canDecodeJpeg(): boolean {
  return typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function';
}

export async function decodeImage(name: string, bytes: Uint8Array): Promise<RawImage> {
  if (isPng(bytes)) return decodePng(name, bytes);
  if (!isJpeg(bytes)) throw new DataError(`${name} is not a PNG or JPEG image.`);
  if (!canDecodeJpeg()) {
    throw new DataError(`${name}: JPEG decoding needs the browser (createImageBitmap); in Node only PNG is decoded — convert the images to PNG.`);
  }
  let bmp: ImageBitmap;
  try {
    bmp = await createImageBitmap(new Blob([bytes as BlobPart], { type: 'image/jpeg' }), {
      colorSpaceConversion: 'none', premultiplyAlpha: 'none',
    });
  } catch (e) {
    throw new DataError(`${name} is not a decodable JPEG (${(e as Error).message}).`);
  }
  const { width, height } = bmp;
  if (width * height > MAX_IMAGE_PIXELS) {
    bmp.close();
    throw new DataError(`${name} is ${width}×${height}, above the ${MAX_IMAGE_PIXELS.toLocaleString('en-US')}-pixel limit per image.`);
  }
  const ctx = new OffscreenCanvas(width, height).getContext('2d');
  if (!ctx) throw new DataError(`${name}: no 2D canvas available to decode the JPEG.`);
  ctx.drawImage(bmp, 0, 0);
  bmp.close();
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    data[3 * p] = rgba[4 * p]; data[3 * p + 1] = rgba[4 * p + 1]; data[3 * p + 2] = rgba[4 * p + 2];
  }
  return { width, height, channels: 3, data };
}
