/**
 * Files in, dataset out: detect each file's format (by content first, then name), unpack
 * archives, pair IDX images/labels, route test files to the test set. Pure: bytes only.
 */
import type { ImageDataset, LoadedData } from './types';
import { gunzip, isGzip, isTar, isZip, untar, type NamedBytes } from './archive';
import { cifarKindOf, decodeCifar, isCifarTestFile, type Cifar100Label, type CifarKind } from './cifar';
import { checkFileSize, DataError, DEFAULT_LIMITS, fmtInt, type Limits } from './errors';
import { decodeClassZip } from './folders';
import { decodeIdx, looksLikeIdx } from './idx';
import { parseNames } from './names';
import { decodePacked, isPacked } from './packed';
import { decodeSvhn, isMat5 } from './svhn';

export interface DecodeOptions {
  /** Side of zip images after center-crop + resize (default 32). */
  imageSize?: number;
  /** CIFAR-100: which label to learn (default fine, 100 classes). */
  cifar100Label?: Cifar100Label;
  /** Force the CIFAR variant instead of detecting it from names / record sizes. */
  cifarKind?: CifarKind;
  limits?: Limits;
}

export const ACCEPTED =
  'CIFAR-10/100 binary (.bin, or the official .tar.gz), MNIST/Fashion-MNIST IDX (raw or .gz, images + labels), ' +
  'a .zip of class folders of PNG/JPEG images, SVHN cropped digits (.mat)';

const isTestName = (n: string) => /(^|[^a-z])(test|t10k)/i.test(n.split('/').pop()!);
const base = (n: string) => n.split('/').pop()!;

export async function decodeFiles(files: NamedBytes[], opts: DecodeOptions = {}): Promise<LoadedData> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  if (files.length === 0) throw new DataError(`No files given: expected ${ACCEPTED}.`);
  for (const f of files) checkFileSize(f.name, f.bytes.length, limits);
  const zip = files.find((f) => isZip(f.bytes));
  if (zip) {
    if (files.length > 1) throw new DataError(`${zip.name} is a zip of class folders: load it on its own (got ${files.length} files).`);
    const r = await decodeClassZip(zip.name, zip.bytes, { imageSize: opts.imageSize, limits });
    const notes = r.skipped.length
      ? [`skipped ${fmtInt(r.skipped.length)} files that are not PNG/JPEG images in class folders: ` +
          r.skipped.slice(0, 5).map((s) => `${s.name} (${s.reason})`).join('; ') + (r.skipped.length > 5 ? '; …' : '')]
      : [];
    return checked({ train: r.train, test: r.test, notes });
  }
  const notes: string[] = [];
  const groups = { cifar: [] as NamedBytes[], idx: [] as NamedBytes[], svhn: [] as NamedBytes[], packed: [] as NamedBytes[] };
  const names = new Map<string, string>();
  for (const f of files) {
    for (const m of expand(f, limits)) {
      const b = m.file.bytes, n = base(m.file.name);
      if (/^(batches\.meta|fine_label_names|coarse_label_names)\.txt$/.test(n)) names.set(n, new TextDecoder().decode(b));
      else if (isPacked(b)) groups.packed.push(m.file);
      else if (isMat5(b)) groups.svhn.push(m.file);
      else if (looksLikeIdx(b) || /idx\d|ubyte/i.test(n)) groups.idx.push(m.file);
      else if (/\.bin$/i.test(n) || cifarKindOf(n, b.length)) groups.cifar.push(m.file);
      else if (m.member) notes.push(`skipped ${m.file.name} (not a dataset file)`);
      else throw new DataError(`${m.file.name}: unrecognized format: expected ${ACCEPTED}.`);
    }
  }
  const kinds = Object.entries(groups).filter(([, g]) => g.length > 0);
  if (kinds.length === 0) throw new DataError(`No dataset files found in ${files.map((f) => f.name).join(', ')}: expected ${ACCEPTED}.`);
  if (kinds.length > 1) throw new DataError(`The files mix formats (${kinds.map(([k]) => k).join(' and ')}): load one dataset at a time.`);
  const [kind, list] = kinds[0];
  let train: ImageDataset[] = [], test: ImageDataset[] = [];
  if (kind === 'cifar') [train, test] = decodeCifarGroup(list, names, opts);
  else if (kind === 'idx') [train, test] = decodeIdxGroup(list);
  else {
    const dec = (f: NamedBytes) => (kind === 'svhn' ? decodeSvhn(f.name, f.bytes, limits) : decodePacked(f.name, f.bytes));
    for (const f of list) (isTestName(f.name) ? test : train).push(dec(f));
  }
  if (train.length === 0) {
    notes.push('no training file given: the test file is used as the training set');
    [train, test] = [test, []];
  }
  return checked({ train: concatDatasets(train), test: test.length ? concatDatasets(test) : undefined, notes });
}

function expand(f: NamedBytes, limits: Limits): { file: NamedBytes; member: boolean }[] {
  let bytes = f.bytes, name = f.name;
  if (isGzip(bytes)) {
    bytes = gunzip(f.name, bytes, limits);
    name = name.replace(/\.tgz$/i, '.tar').replace(/\.gz$/i, '');
  }
  if (isTar(bytes)) return untar(f.name, bytes, limits).map((m) => ({ file: m, member: true }));
  return [{ file: { name, bytes }, member: false }];
}

function decodeCifarGroup(list: NamedBytes[], names: Map<string, string>, opts: DecodeOptions): [ImageDataset[], ImageDataset[]] {
  const kinds = new Set(list.map((f) => opts.cifarKind ?? cifarKindOf(f.name, f.bytes.length) ?? 'cifar10'));
  if (kinds.size > 1) throw new DataError(`The files mix CIFAR-10 and CIFAR-100 batches (${list.map((f) => base(f.name)).join(', ')}): load one at a time.`);
  const kind = [...kinds][0];
  const label = opts.cifar100Label ?? 'fine';
  const classNames =
    kind === 'cifar10' ? parseNames(names.get('batches.meta.txt') ?? '', 10)
      : parseNames(names.get(`${label}_label_names.txt`) ?? '', label === 'fine' ? 100 : 20);
  const dec = (fs: NamedBytes[]) => (fs.length ? [decodeCifar(fs, kind, { label, classNames })] : []);
  return [dec(list.filter((f) => !isCifarTestFile(f.name))), dec(list.filter((f) => isCifarTestFile(f.name)))];
}

function decodeIdxGroup(list: NamedBytes[]): [ImageDataset[], ImageDataset[]] {
  const isLabels = (f: NamedBytes) => (looksLikeIdx(f.bytes) ? f.bytes[3] === 1 : /label/i.test(base(f.name)));
  const key = (n: string) => base(n).toLowerCase().replace(/\.gz$/, '').replace(/images?|labels?/, '*').replace(/idx\d/, 'idx');
  const imgs = list.filter((f) => !isLabels(f)), lbls = list.filter(isLabels);
  const train: ImageDataset[] = [], test: ImageDataset[] = [];
  for (const im of imgs) {
    const lb = imgs.length === 1 && lbls.length === 1 ? lbls[0] : lbls.find((l) => key(l.name) === key(im.name));
    if (!lb) throw new DataError(`${im.name} has no matching IDX labels file (e.g. train-images-idx3-ubyte goes with train-labels-idx1-ubyte).`);
    (isTestName(im.name) ? test : train).push(decodeIdx(im, lb));
  }
  if (imgs.length === 0) throw new DataError(`${lbls.map((f) => f.name).join(', ')}: IDX labels without an images file: expected both.`);
  const k = Math.max(...[...train, ...test].map((d) => d.numClasses));
  for (const d of [...train, ...test]) if (d.numClasses < k) Object.assign(d, { numClasses: k, classNames: undefined });
  return [train, test];
}

/** Several datasets of the same image shape, one after the other. */
export function concatDatasets(list: ImageDataset[]): ImageDataset {
  if (list.length === 1) return list[0];
  const [a] = list;
  for (const d of list) {
    if (d.height !== a.height || d.width !== a.width || d.channels !== a.channels) {
      throw new DataError(`${d.name} is ${d.height}×${d.width}×${d.channels} but ${a.name} is ${a.height}×${a.width}×${a.channels}: expected the same image shape.`);
    }
  }
  const images = new Uint8Array(list.reduce((s, d) => s + d.images.length, 0));
  const labels = new Int32Array(list.reduce((s, d) => s + d.labels.length, 0));
  let io = 0, lo = 0;
  for (const d of list) {
    images.set(d.images, io); labels.set(d.labels, lo);
    io += d.images.length; lo += d.labels.length;
  }
  return { ...a, name: `${a.name.replace(/ \(.*$/, '')} (${fmtInt(labels.length)} images)`, images, labels, numClasses: Math.max(...list.map((d) => d.numClasses)) };
}

/** Sanity checks on a decoded dataset pair: shapes, label range, at least two classes. */
export function checked(d: LoadedData): LoadedData {
  for (const ds of [d.train, d.test]) {
    if (!ds) continue;
    const n = ds.labels.length;
    if (n === 0) throw new DataError(`${ds.name} holds no images.`);
    if (ds.images.length !== n * ds.height * ds.width * ds.channels) throw new DataError(`${ds.name}: pixel count does not match ${n} images of ${ds.height}×${ds.width}×${ds.channels}.`);
    const bad = ds.labels.findIndex((v) => v < 0 || v >= ds.numClasses);
    if (bad >= 0) throw new DataError(`${ds.name}: label ${ds.labels[bad]} at index ${bad} is out of range: expected 0–${ds.numClasses - 1}.`);
  }
  const present = new Set(d.train.labels);
  if (present.size < 2) throw new DataError(`${d.train.name} has only one class (label ${[...present][0]}): expected at least two classes to search on.`);
  return d;
}
