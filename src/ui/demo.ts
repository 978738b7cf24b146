/** The skeleton page's run: a tiny NB201 Λ-DARTS search that shows progress within seconds. */
import { fieldByFlag, parseFieldValue, type RunConfig } from '../core/config';
import { BACKENDS, type BackendName, type DatasetChoice, type StartOptions } from '../worker/protocol';

/**
 * 8×8 inputs and batch 8: ~1.3 s per step on WebGPU over SwiftShader (no GPU), where 16×16 with
 * batch 16 takes ~6 s; a real GPU runs either far faster. URL parameters change any field.
 */
export const DEMO_CONFIG: Partial<RunConfig> = {
  space: 'nb201', method: 'lambda', C: 4, N: 1, imageSize: 8, batch: 8, limit: 256, epochs: 30, seed: 0,
};

const PAGE_PARAMS = new Set(['backend', 'dataset', 'paused']);

/**
 * Run config fields by CLI flag or key (`?lambda=0.5&image-size=16&batch=16`), plus
 * `?backend=webgl` (or a comma list) to force the backends tried, `?dataset=synthetic` to skip
 * MNIST, `?paused` to start paused. Unknown or invalid parameters are reported, not applied.
 */
export function startOptionsFromUrl(search: string): { options: StartOptions; warnings: string[] } {
  const q = new URLSearchParams(search);
  const warnings: string[] = [];
  const config: Partial<RunConfig> = { ...DEMO_CONFIG };
  for (const [key, raw] of q) {
    if (PAGE_PARAMS.has(key)) continue;
    const f = fieldByFlag(key);
    if (!f) {
      warnings.push(`unknown URL parameter '${key}'`);
      continue;
    }
    try {
      (config as Record<string, unknown>)[f.key] = parseFieldValue(f, raw);
    } catch (e) {
      warnings.push(`URL parameter ${key}: ${(e as Error).message}`);
    }
  }
  const backends = (q.get('backend') ?? '').split(',').filter((b): b is BackendName => (BACKENDS as readonly string[]).includes(b));
  if (q.get('backend') && backends.length === 0) warnings.push(`backend '${q.get('backend')}': expected ${BACKENDS.join(', ')}`);
  const dataset = q.get('dataset');
  return {
    options: {
      config,
      dataset: dataset === 'synthetic' || dataset === 'mnist' ? (dataset as DatasetChoice) : 'mnist',
      backends: backends.length ? backends : undefined,
      autoplay: !q.has('paused'),
    },
    warnings,
  };
}
