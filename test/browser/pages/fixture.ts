/**
 * Runs a golden fixture (../shared/fixtures/lambda-step, served at /__shared/) on a tfjs backend
 * in the page and compares it with the fixture's expected values (src/core/compare.ts).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { compareFixture, type CompareRow } from '../../../src/core/compare';
import { runFixtureStep } from '../../../src/core/fixture';
import { useBackend } from '../../../src/worker/backend';

export interface FixtureResult {
  backend: string;
  rows: CompareRow[];
  /** Keys of `expected` that no row compared. */
  missing: string[];
  fetchMs: number;
  stepMs: number;
  numTensorsBefore: number;
  numTensorsAfter: number;
  /** Ours and expected of the keys asked for with `dump` (for diagnosis). */
  dump?: Record<string, { ours: unknown; expected: unknown }>;
}

declare global {
  interface Window {
    __ready: boolean;
    __runFixture(file: string, backend: string, dump?: string[]): Promise<FixtureResult>;
    tf: typeof tf;
  }
}

window.__runFixture = async (file, backend, dump = []) => {
  // The app's own backend setup (with its kernel fixes), as the worker trains.
  if (!(await useBackend(backend))) throw new Error(`backend ${backend} failed to initialise`);
  const t0 = performance.now();
  const res = await fetch(`/__shared/fixtures/lambda-step/${file}`);
  if (!res.ok) throw new Error(`fetch ${file}: HTTP ${res.status}`);
  const fx = await res.json();
  const t1 = performance.now();
  const before = tf.memory().numTensors;
  const out = await runFixtureStep(fx);
  const t2 = performance.now();
  const rows = compareFixture(out, fx);
  const compared = new Set(rows.map((r) => r.key.split('.')[0]));
  return {
    backend: tf.getBackend(), rows, missing: Object.keys(fx.expected).filter((k) => !compared.has(k)),
    fetchMs: t1 - t0, stepMs: t2 - t1, numTensorsBefore: before, numTensorsAfter: tf.memory().numTensors,
    dump: dump.length ? Object.fromEntries(dump.map((k) => [k, { ours: out[k], expected: fx.expected[k] }])) : undefined,
  };
};

window.tf = tf;
window.__ready = true;
