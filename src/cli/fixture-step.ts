/**
 * `npm run -s fixture-step -- PATH.json`: runs one search step from a golden-fixture file
 * (fixtures README schema) on the tfjs CPU backend and prints one JSON object with the keys of
 * the fixture's `expected`, under its PyTorch names and layouts. Nothing else goes to stdout.
 */
import './wasm-flags'; // first: relaxed SIMD before the CPU kernels compile
import * as tf from '@tensorflow/tfjs';
import { installFastCpuKernels } from '../core/kernels/cpu/index';
import { readFileSync } from 'node:fs';
import { runFixtureStep } from '../core/fixture';
import { fail } from './args';

async function main() {
  const path = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!path || process.argv.includes('--help')) {
    process.stderr.write('usage: npm run -s fixture-step -- PATH.json [--stock-kernels]\n');
    process.exit(path ? 0 : 2);
  }
  const stockKernels = process.argv.includes('--stock-kernels');
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  if (!stockKernels) installFastCpuKernels();
  const fx = JSON.parse(readFileSync(path, 'utf8'));
  const out = await runFixtureStep(fx);
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch(fail);
