import * as tf from '@tensorflow/tfjs';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareFixture } from '../../src/core/compare';
import { runFixtureStep } from '../../src/core/fixture';
import { FAST_CPU_KERNELS, fastCpuKernelsInstalled, installFastCpuKernels, useFastCpuKernels } from '../../src/core/kernels/cpu/index';
import { useCpu } from './helpers';

const DIR = path.resolve(__dirname, '../../../shared/fixtures/lambda-step');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

describe('installFastCpuKernels / useFastCpuKernels', () => {
  beforeAll(useCpu);
  it('registers every fast kernel once and restores the stock configs', () => {
    useFastCpuKernels(false);
    const stock = Object.keys(FAST_CPU_KERNELS).map((n) => tf.getKernel(n, 'cpu').kernelFunc);
    installFastCpuKernels();
    installFastCpuKernels(); // idempotent
    expect(fastCpuKernelsInstalled()).toBe(true);
    Object.keys(FAST_CPU_KERNELS).forEach((n, i) => expect(tf.getKernel(n, 'cpu').kernelFunc).not.toBe(stock[i]));
    useFastCpuKernels(false);
    expect(fastCpuKernelsInstalled()).toBe(false);
    Object.keys(FAST_CPU_KERNELS).forEach((n, i) => expect(tf.getKernel(n, 'cpu').kernelFunc).toBe(stock[i]));
  });
});

// The golden fixtures (one full Λ-DARTS step of the official PyTorch code) with the fast kernels.
describe.each(FILES)('golden fixture %s with the fast CPU kernels', (file) => {
  beforeAll(useCpu);
  it('matches every expected quantity', async () => {
    installFastCpuKernels();
    const fx = JSON.parse(readFileSync(path.join(DIR, file), 'utf8'));
    const rows = compareFixture(await runFixtureStep(fx), fx);
    const compared = new Set(rows.map((r) => r.key.split('.')[0]));
    for (const k of Object.keys(fx.expected)) expect(compared.has(k), `missing ${k}`).toBe(true);
    expect(rows.filter((r) => !r.ok).map((r) => `${r.key} ${r.metric}=${r.value} > ${r.tol}`)).toEqual([]);
    expect(rows.length).toBeGreaterThan(25);
  });
});

it('finds the fixtures', () => expect(FILES.length).toBeGreaterThanOrEqual(2));
