import { join } from 'node:path';
import { cli } from '../cli/run-cli';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseNb201Table, type Nb201Table } from '../../src/eval/nb201-table';
import { BEST_C10, nb201Text, SHARED } from './helpers';

const CIFAR = `cifar10-bin:${join(SHARED, 'data/cifar10/data_batch_1_first4000.bin')}`;
const CIFAR_TEST = `${CIFAR},${join(SHARED, 'data/cifar10/test_batch_first1000.bin')}`;

let table: Nb201Table;
beforeAll(() => {
  table = parseNb201Table(nb201Text());
});

const TINY = ['--epochs', '1', '--C', '2', '--image-size', '8', '--limit', '16', '--batch', '8'];

describe('retrain and multiseed CLIs', () => {
  it('retrain prints the final JSON with the test accuracy and the NB201 row; progress with ETA on stderr', async () => {
    const r = await cli('retrain.ts', ['--genotype', BEST_C10, '--dataset', CIFAR_TEST, '--C', '2', '--image-size', '8', '--limit', '32', '--test-limit', '16', '--epochs', '1', '--batch', '16']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\[#{20}\] 100% step 2\/2 .*test [\d.]+%  ETA/);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ genotype: BEST_C10, kind: 'nb201', steps: 2, testImages: 16, nb201: { index: 6111, exact: true } });
    expect(j.testAcc * 16).toBeCloseTo(Math.round(j.testAcc * 16), 6);
    expect(j.options).toMatchObject({ C: 2, nesterov: true, weightDecay: 5e-4, lr: 0.1 });
    const bad = await Promise.all([cli('retrain.ts', ['--genotype', '|nope~0|+']), cli('retrain.ts', ['--genotype', BEST_C10, '--lambda', '0.5']), cli('retrain.ts', [])]);
    expect(bad[0].stderr).toMatch(/--genotype: .*3 groups/);
    expect(bad[1].stderr).toMatch(/--lambda is a search flag/);
    expect(bad[2].stderr).toMatch(/--genotype is required/);
    for (const b of bad) expect(b.code).not.toBe(0);
  });

  it('multiseed --json prints the rows and the summary', async () => {
    const r = await cli('multiseed.ts', ['--method', 'lambda', '--seeds', '0', '--dataset', CIFAR, ...TINY, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.rows).toHaveLength(1);
    expect(j.rows[0]).toMatchObject({ method: 'lambda', seed: 0, steps: 2 });
    expect(j.rows[0].nb201.cifar10).toBe(table.lookup(j.rows[0].arch)!.cifar10);
    expect(j.summary[0]).toMatchObject({ method: 'lambda', seeds: 1 });
    expect(j.summary[0].cifar10.mean).toBe(j.rows[0].nb201.cifar10);
  });
});
