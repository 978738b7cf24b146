/**
 * Ground truth and evaluation, browser-safe entry point (no Node imports: nb201-node.ts and
 * node-data.ts are CLI-only). Runs in the worker and in Node.
 */
export { ArchError, parseArch, canonicalArch, uniqueString, allArchs } from './nb201-arch';
export { TableError, parseNb201Table, splitCsvLine } from './nb201-table';
export { Nb201Table, NB201_DATASETS, NB201_DATASET_LABELS, NB201_SIZE, type Nb201Dataset, type Nb201Entry, type Nb201Class, type Nb201Stats } from './nb201-lookup';
export { loadNb201Url, loadNb201Blob, MAX_TABLE_BYTES } from './nb201-load';
export { parseGenotypeText, validateDarts, countParams, type DiscreteNet } from './discrete';
export { buildNb201Net, type Nb201NetOptions } from './nb201-net';
export { buildDartsNet, type DartsNetOptions } from './darts-net';
export { makeRetrainData, cutoutInto, type RetrainData, type RetrainDataOptions } from './retrain-data';
export { Retrainer, retrainDefaults, buildDiscreteNet, sgd, type RetrainOptions, type RetrainStep, type EvalResult } from './retrain';
export { retrain, retrainSideBySide, type RetrainProgress, type RetrainResult, type RetrainEpoch } from './retrain-run';
export { runSeed, runSeeds, nb201Scores, type SeedRow, type SeedEpoch, type SeedProgress, type Nb201Scores, type RunSeedOptions, type RunSeedsOptions } from './multiseed';
export { summarize, meanStd, formatMarkdown, formatDuration, reproduceRecords, METHOD_LABELS, type MeanStd, type MethodSummary, type ReproduceRecord } from './seed-table';
export { REPRODUCE_PRESETS, REFERENCE_NOTE, type ReproducePreset } from './presets';
export { estimateWallTime, type WallEstimate } from './estimate';
export { alignmentPoint, type AlignmentPoint } from './trace';
