/** Browser-safe entry point of src/data (no Node imports: node.ts and resolve.ts are CLI-only). */
export type { ImageDataset, Batch, BatchSource, SearchData, LoadedData } from './types';
export { DataError, checkFileSize, MAX_FILE_BYTES, MAX_UNPACKED_BYTES, MAX_IMAGE_PIXELS, type Limits } from './errors';
export type { NamedBytes } from './archive';
export { decodeFiles, ACCEPTED, type DecodeOptions } from './decode';
export { DatasetStore, type LoadResult } from './store';
export { decodeCifar, type CifarKind, type Cifar100Label } from './cifar';
export { decodeIdx } from './idx';
export { decodeClassZip, type ZipDecoded } from './folders';
export { decodeSvhn } from './svhn';
export { decodePng } from './png';
export { decodePacked, encodePacked } from './packed';
export { loadBuiltin, BUILTIN_NAMES, type BuiltinName } from './builtin';
export { syntheticData, makeSynthetic, DEFAULT_SYNTHETIC, type SyntheticOptions } from './synthetic';
export { makeSearchData, DEFAULT_PIPELINE, describeSplit, type PipelineOptions, type PipelineData } from './pipeline';
