import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cli } from './run-cli';
import { describe, expect, it } from 'vitest';
import { compareFixture } from '../../src/core/compare';

const ROOT = resolve(__dirname, '../..');
const SHARED = resolve(ROOT, '../shared');

describe('CLI', () => {
  it('search --help lists every run-config flag with its default', async () => {
    const r = await cli('search.ts', ['--help']);
    expect(r.code).toBe(0);
    for (const f of ['--C ', '--N ', '--layers', '--batch', '--image-size', '--limit', '--lambda ', '--epsilon0', '--arch-lr', '--corr', '--method', '--space', '--dataset', '--out']) expect(r.stdout).toContain(f);
    expect(r.stdout).toMatch(/--arch-lr\s+.*\[default: 0\.003\]/);
  });

  it('a bad flag or value exits non-zero naming it', async () => {
    const a = await cli('search.ts', ['--bogus', '3']);
    expect(a.code).not.toBe(0);
    expect(a.stderr).toContain('--bogus');
    const b = await cli('search.ts', ['--method', 'gdas']);
    expect(b.code).not.toBe(0);
    expect(b.stderr).toMatch(/--method: expected one of darts, darts2, lambda/);
    const c = await cli('search.ts', ['--C', 'eight']);
    expect(c.stderr).toMatch(/--C: expected an integer/);
    const d = await cli('search.ts', ['--image-size', '6']);
    expect(d.code).not.toBe(0);
    expect(d.stderr).toMatch(/imageSize/);
    const e = await cli('search.ts', ['--dataset', 'nope:x', '--epochs', '1']);
    expect(e.code).not.toBe(0);
    expect(e.stderr).toMatch(/nope/);
  });

  it('fixture-step prints one JSON object with the fixture\'s expected keys, and only that', async () => {
    const file = join(SHARED, 'fixtures/lambda-step/nb201-c4n1-seed0.json');
    const r = await cli('fixture-step.ts', [file]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const fx = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(out).sort()).toEqual(Object.keys(fx.expected).sort());
    expect(compareFixture(out, fx).every((row) => row.ok)).toBe(true);
  });

  it('search on the CIFAR-10 binary records writes per-epoch metrics and NB201 genotypes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ldarts-'));
    const out = join(dir, 'run.json');
    const r = await cli('search.ts', ['--space', 'nb201', '--method', 'lambda', '--dataset', `cifar10-bin:${join(SHARED, 'data/cifar10/data_batch_1_first4000.bin')}`,
      '--epochs', '2', '--seed', '1', '--C', '2', '--image-size', '8', '--limit', '16', '--batch', '8', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/epoch 2\/2/);
    const log = JSON.parse(readFileSync(out, 'utf8'));
    expect(log.dataset.name).toMatch(/CIFAR-10/);
    expect(log.dataset.train).toBe(16);
    expect(log.epochs).toHaveLength(2);
    expect(log.epochs[1].lambdaE).toBe(0.25);
    for (const e of log.epochs) expect(e.genotype).toMatch(/^(\|[a-z_0-9]+~\d)+\|\+/);
    expect(log.config.C).toBe(2);
  });

  it('search --engine webgpu runs on Dawn when the optional package is installed, else says how to get it', async () => {
    const bad = await cli('search.ts', ['--engine', 'cuda']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--engine: expected cpu or webgpu/);
    const installed = existsSync(join(ROOT, 'node_modules/webgpu/package.json'));
    const r = await cli('search.ts', ['--engine', 'webgpu', '--space', 'nb201', '--method', 'lambda', '--dataset', 'synthetic', '--epochs', '1',
      '--C', '2', '--image-size', '8', '--limit', '16', '--batch', '8', '--out', '-']);
    if (installed) {
      // here: Chromium's SwiftShader Vulkan driver (node-webgpu.ts), or a real GPU's
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/WebGPU \(Dawn\): /);
      const log = JSON.parse(r.stdout);
      expect(log.backend).toBe('webgpu');
      expect(log.epochs).toHaveLength(1);
      expect(Number.isFinite(log.epochs[0].trainLoss)).toBe(true);
    } else {
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('npm install --no-save webgpu@0.6.2');
    }
  }, 120_000);
});
