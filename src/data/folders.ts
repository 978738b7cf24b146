/**
 * A .zip of class folders: `<class>/<image>.png|jpg`, at any depth (the image's parent folder
 * is its class). Images under a folder named `test` (at any level above the class folder) go
 * to the test set. Each image is center-cropped to a square and resized to `imageSize`.
 * Files that are not decodable PNG/JPEG images are skipped and counted.
 */
import type { ImageDataset } from './types';
import { unzip } from './archive';
import { DataError, DEFAULT_LIMITS, fmtInt, type Limits } from './errors';
import { decodeImage } from './image';
import { squareResizeBytes } from './resize';

export interface ZipOptions {
  /** Side of the stored square images (default 32). */
  imageSize?: number;
  limits?: Limits;
}
export interface Skipped {
  name: string;
  reason: string;
}
export interface ZipDecoded {
  train: ImageDataset;
  test?: ImageDataset;
  skipped: Skipped[];
}

interface Item {
  file: string;
  cls: string;
  test: boolean;
  channels: 1 | 3;
  pixels: Uint8Array;
}

export async function decodeClassZip(name: string, bytes: Uint8Array, opts: ZipOptions = {}): Promise<ZipDecoded> {
  const size = opts.imageSize ?? 32;
  const entries = unzip(name, bytes, opts.limits ?? DEFAULT_LIMITS).sort((a, b) => (a.name < b.name ? -1 : 1));
  const skipped: Skipped[] = [];
  const items: Item[] = [];
  for (const e of entries) {
    const parts = e.name.split('/');
    if (parts.length < 2) {
      skipped.push({ name: e.name, reason: 'not inside a class folder' });
      continue;
    }
    try {
      const img = await decodeImage(e.name, e.bytes);
      items.push({
        file: e.name,
        cls: parts[parts.length - 2],
        test: parts.slice(0, -2).some((p) => /^test(ing)?$/i.test(p)),
        channels: img.channels,
        pixels: squareResizeBytes(img.data, img.height, img.width, img.channels, size),
      });
    } catch (err) {
      if (!(err instanceof DataError)) throw err;
      skipped.push({ name: e.name, reason: err.message });
    }
  }
  const skipNote = skipped.length ? ` (${fmtInt(skipped.length)} files skipped, e.g. ${skipped[0].name}: ${skipped[0].reason})` : '';
  const expect = 'expected a zip of class folders, e.g. cat/1.png, dog/2.png (at least two classes)';
  if (items.length === 0) throw new DataError(`${name} contains no PNG or JPEG images in class folders${skipNote}: ${expect}.`);
  const classNames = [...new Set(items.filter((i) => !i.test).map((i) => i.cls))].sort();
  if (classNames.length < 2) {
    const what = classNames.length ? `only one class folder (${classNames[0]})` : 'no training class folders';
    throw new DataError(`${name} has ${what}${skipNote}: ${expect}.`);
  }
  const channels: 1 | 3 = items.every((i) => i.channels === 1) ? 1 : 3;
  const known = items.filter((i) => {
    if (classNames.includes(i.cls)) return true;
    skipped.push({ name: i.file, reason: `class ${i.cls} has no training folder` });
    return false;
  });
  const build = (list: Item[], split: string): ImageDataset => {
    const px = size * size * channels;
    const images = new Uint8Array(list.length * px);
    list.forEach((it, n) => {
      if (it.channels === channels) images.set(it.pixels, n * px);
      else for (let p = 0; p < size * size; p++) images.fill(it.pixels[p], n * px + 3 * p, n * px + 3 * p + 3);
    });
    return {
      name: `${name} (${split}${fmtInt(list.length)} images, ${classNames.length} classes, ${size}×${size})`,
      images, labels: Int32Array.from(list, (it) => classNames.indexOf(it.cls)),
      height: size, width: size, channels, numClasses: classNames.length, classNames,
    };
  };
  const test = known.filter((i) => i.test);
  return {
    train: build(known.filter((i) => !i.test), ''),
    test: test.length ? build(test, 'test, ') : undefined,
    skipped,
  };
}
