import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, FIELDS } from '../../src/core/config';
import { DEFAULT_PRESET, PRESETS } from '../../src/ui/presets';
import { configDiff, pageQuery, parsePageUrl, presetState } from '../../src/ui/url';

describe('URL codec', () => {
  it('opens the default preset: the NB201 race of ALGORITHM §8 on MNIST', () => {
    const { state, warnings } = parsePageUrl('');
    expect(warnings).toEqual([]);
    expect(state.preset).toBe('race-nb201');
    expect(state.runs).toEqual(['darts', 'lambda']);
    expect(state.config).toMatchObject({ space: 'nb201', C: 8, N: 1, imageSize: 16, batch: 64, archLr: 3e-3, lambda: 0.25, epsilon0: 1e-4, epochs: 30, augment: false, dataset: 'cifar10' });
    expect(pageQuery(state)).toBe('?preset=race-nb201');
  });

  it('round-trips every config field by its CLI flag, plus page parameters', () => {
    const url = '?preset=tiny&C=4&image-size=16&lambda=0.5&epsilon0=0.001&seed=7&arch-lr=0.0001&augment=true&corr=signcorr&runs=darts2,lambda&speed=2&hide=seed,dataset&backend=webgl&threads=3&paused';
    const a = parsePageUrl(url);
    expect(a.warnings).toEqual([]);
    expect(a.state).toMatchObject({ preset: 'tiny', runs: ['darts2', 'lambda'], speed: 2, hide: ['seed', 'dataset'], backends: ['webgl'], threads: 3, paused: true });
    expect(a.state.config).toMatchObject({ C: 4, imageSize: 16, lambda: 0.5, epsilon0: 1e-3, seed: 7, archLr: 1e-4, augment: true, corr: 'signcorr' });
    const b = parsePageUrl(pageQuery(a.state));
    expect(b.state).toEqual(a.state);
  });

  it('writes only what differs from the preset, and reads keys as well as flags', () => {
    const s = presetState(DEFAULT_PRESET);
    s.config = { ...s.config, seed: 3, imageSize: 32 };
    expect(pageQuery(s)).toBe('?preset=race-nb201&image-size=32&seed=3');
    expect(parsePageUrl('?imageSize=32').state.config.imageSize).toBe(32);
  });

  it('reads the hash after the query (the hash wins)', () => {
    expect(parsePageUrl('?seed=1', '#seed=2&lambda=1').state.config).toMatchObject({ seed: 2, lambda: 1 });
  });

  it('a lone method= means a single run of that method (skeleton URLs)', () => {
    const { state } = parsePageUrl('?method=lambda&C=4&image-size=8&batch=8');
    expect(state.runs).toEqual(['lambda']);
    expect(state.config.method).toBe('lambda');
  });

  it('reports unknown and invalid parameters without applying them', () => {
    const { state, warnings } = parsePageUrl('?bogus=1&C=abc&runs=foo&hide=nothing&backend=metal&preset=nope&speed=-1&threads=0');
    expect(warnings).toHaveLength(8);
    expect(warnings).toContain("threads '0': expected a whole number from 1 to 64");
    expect(state.threads).toBeUndefined();
    expect(state.config.C).toBe(DEFAULT_PRESET.config.C);
    expect(state.runs).toEqual(DEFAULT_PRESET.runs);
    expect(state.hide).toEqual([]);
  });

  it('an invalid combination falls back to the preset and says why', () => {
    const { state, warnings } = parsePageUrl('?image-size=6');
    expect(warnings[0]).toMatch(/imageSize/);
    expect(state.config.imageSize).toBe(16);
  });

  it('every preset is a valid configuration with guidance', () => {
    for (const p of PRESETS) {
      const s = presetState(p);
      expect(s.config.space).toBeTruthy();
      expect(p.guidance.split('. ').length).toBeGreaterThanOrEqual(2);
      expect(parsePageUrl(pageQuery(s)).state).toEqual(s);
    }
  });

  it('configDiff splits cold and hot fields by the schema', () => {
    const d = configDiff(DEFAULT_CONFIG, { ...DEFAULT_CONFIG, C: 4, lambda: 1, seed: 2 });
    expect(d.cold.sort()).toEqual(['C', 'seed']);
    expect(d.hot).toEqual(['lambda']);
    expect(FIELDS.find((f) => f.key === 'lambda')!.hot).toBe(true);
  });
});
