import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/run-cli';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseNb201Table, type Nb201Table } from '../../src/eval/nb201-table';
import { nb201Text } from './helpers';


let table: Nb201Table;
beforeAll(() => {
  table = parseNb201Table(nb201Text());
});

const TINY = ['--epochs', '1', '--C', '2', '--image-size', '8', '--limit', '16', '--batch', '8'];

describe('npm run reproduce', () => {
  it('--json prints one array of {method, seed, arch, nb201_cifar10_test, skip_count, final_train_corr, wall_s}', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ldarts-repro-')), 'rows.json');
    const r = await cli('reproduce.ts', [...TINY, '--seeds', '0,1', '--json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/estimated wall time: .* \(darts [\d.]+ s\/step, lambda [\d.]+ s\/step; 4 runs × 2 steps/);
    expect(r.stderr).toMatch(/lambda seed 1 epoch 1\/1/);
    const recs = JSON.parse(r.stdout);
    expect(Array.isArray(recs)).toBe(true);
    expect(recs.map((x: { method: string; seed: number }) => `${x.method}${x.seed}`)).toEqual(['darts0', 'lambda0', 'darts1', 'lambda1']);
    for (const x of recs) {
      expect(Object.keys(x)).toEqual(['method', 'seed', 'arch', 'nb201_cifar10_test', 'skip_count', 'final_train_corr', 'wall_s']);
      expect(x.nb201_cifar10_test).toBe(table.lookup(x.arch)!.cifar10);
      expect(x.skip_count).toBe(x.arch.split('skip_connect').length - 1);
      expect(Math.abs(x.final_train_corr)).toBeLessThanOrEqual(1);
      expect(x.wall_s).toBeGreaterThan(0);
    }
    const full = JSON.parse(readFileSync(out, 'utf8'));
    expect(full.config).toMatchObject({ space: 'nb201', C: 2, N: 1, imageSize: 8, batch: 8, archLr: 0.003, lambda: 0.25, augment: false, epochs: 1 });
    expect(full.rows[0].epochs[0].genotype).toBe(recs[0].arch);
  });

  it('prints the markdown table by default; bad flags exit non-zero with a clear message', async () => {
    const r = await cli('reproduce.ts', [...TINY, '--seeds', '3', '--methods', 'darts', '--estimate-steps', '0', '--nb201', 'none']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^## DARTS on NAS-Bench-201 \(preset paper\)/);
    expect(r.stdout).toMatch(/\n\| DARTS \| 3 \| `\\\|[a-z_0-9]+~0\\\|\+.*` \| — \| — \| — \| \d \| -?[\d.]+ \| [\d.]+ s \|\n/);
    expect(r.stdout).toContain('54.30%');
    expect(r.stderr).not.toMatch(/estimated wall time/);
    const bad = await Promise.all([
      cli('reproduce.ts', ['--seeds', 'x']),
      cli('reproduce.ts', ['--nb201', '/no/such.csv', ...TINY]),
      cli('reproduce.ts', ['--preset', 'huge']),
      cli('reproduce.ts', ['--methods', 'gdas']),
    ]);
    for (const b of bad) expect(b.code).not.toBe(0);
    expect(bad[0].stderr).toMatch(/--seeds: 'x' is not a seed/);
    expect(bad[1].stderr).toMatch(/NB201 table \/no\/such.csv: no such file/);
    expect(bad[2].stderr).toMatch(/--preset: expected one of paper, small, micro/);
    expect(bad[3].stderr).toMatch(/--methods: unknown method 'gdas'/);
    for (const b of bad) expect(b.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });
});
