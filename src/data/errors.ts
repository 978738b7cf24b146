/**
 * DataError: every bad input gets one, with a message that names the file, says what is
 * wrong and what was expected. Size limits live here too (documented in README.md).
 */

export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

/** Largest single file accepted (upload or CLI path): 400 MB, as given (compressed or not). */
export const MAX_FILE_BYTES = 400 * 1024 * 1024;
/** Largest total unpacked size of one archive (.tar, .tar.gz, .zip, .gz): 400 MB. */
export const MAX_UNPACKED_BYTES = 400 * 1024 * 1024;
/** Largest decoded image accepted inside a zip (pixels, width·height): 40 megapixels. */
export const MAX_IMAGE_PIXELS = 40_000_000;

export interface Limits {
  maxFileBytes: number;
  maxUnpackedBytes: number;
}
export const DEFAULT_LIMITS: Limits = { maxFileBytes: MAX_FILE_BYTES, maxUnpackedBytes: MAX_UNPACKED_BYTES };

/** "12,292,000 bytes (11.7 MB)" */
export function fmtBytes(n: number): string {
  const mb = n / (1024 * 1024);
  return `${n.toLocaleString('en-US')} bytes${n >= 1024 * 1024 ? ` (${mb.toFixed(1)} MB)` : ''}`;
}

export function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}

/** Throws unless a file of `size` bytes may be read; call it before File.arrayBuffer() in the UI. */
export function checkFileSize(name: string, size: number, limits: Limits = DEFAULT_LIMITS): void {
  if (size === 0) throw new DataError(`${name} is empty (0 bytes): expected a dataset file.`);
  if (size > limits.maxFileBytes) {
    throw new DataError(
      `${name} is ${fmtBytes(size)}, above the ${fmtBytes(limits.maxFileBytes)} limit per file: ` +
        `use a smaller file (e.g. one CIFAR batch, or fewer images in the zip).`,
    );
  }
}

/** Throws when unpacking `next` more bytes would take an archive past the budget. */
export function checkUnpacked(archive: string, member: string, total: number, limits: Limits): void {
  if (total > limits.maxUnpackedBytes) {
    throw new DataError(
      `${archive}: unpacking ${member} takes the archive to ${fmtBytes(total)}, above the ` +
        `${fmtBytes(limits.maxUnpackedBytes)} limit for unpacked archive contents.`,
    );
  }
}
