/**
 * The page state in the URL, driven by the one config schema (core/config.ts FIELDS):
 *   ?preset=race-nb201&C=8&lambda=0.25&seed=0&runs=darts,lambda&speed=2&hide=seed,dataset
 * Every RunConfig field by its CLI flag (or key); only fields that differ from the preset are
 * written. Page parameters: preset, runs (methods raced), speed (rounds/s, 0 = max), hide
 * (teacher mode: controls not shown), backend (comma list forced), threads (CPU kernel threads),
 * paused, nb201 (URL of a
 * NAS-Bench-201 table to load). The hash is read too
 * (after the query, so it wins). Unknown or invalid parameters are reported, not applied.
 */
import { FIELDS, fieldByFlag, makeConfig, parseFieldValue, type Method, type RunConfig } from '../core/config';
import { BACKENDS, type BackendName } from '../worker/protocol';
import { DEFAULT_PRESET, presetById, type Preset } from './presets';

export interface PageState {
  preset: string;
  config: RunConfig;
  runs: Method[];
  /** Max rounds per second; 0 = as fast as possible. */
  speed: number;
  hide: string[];
  backends?: BackendName[];
  /** Threads for the CPU backend's kernels (`threads=`; default: the worker's choice). */
  threads?: number;
  paused: boolean;
  /** URL of a NAS-Bench-201 table to load (never bundled), e.g. /data/nb201_200ep_test_acc.csv. */
  nb201?: string;
}

const METHODS: readonly Method[] = ['darts', 'darts2', 'lambda'];
const PAGE_PARAMS = ['preset', 'runs', 'speed', 'hide', 'backend', 'threads', 'paused', 'nb201'] as const;

/** Controls a teacher can hide: every config flag plus these groups. */
export const HIDE_GROUPS = ['presets', 'runs', 'speed', 'settings', 'dataset-upload', 'export', 'replay', 'eval', 'teacher'] as const;
export const HIDEABLE: readonly string[] = [...HIDE_GROUPS, ...FIELDS.map((f) => f.flag)];

export function presetState(p: Preset = DEFAULT_PRESET): PageState {
  return { preset: p.id, config: makeConfig({ ...p.config, method: p.runs[0] }), runs: [...p.runs], speed: 0, hide: [], paused: false };
}

export function parsePageUrl(search: string, hash = ''): { state: PageState; warnings: string[] } {
  const q = new URLSearchParams(search);
  for (const [k, v] of new URLSearchParams(hash.replace(/^#/, ''))) q.set(k, v);
  const warnings: string[] = [];
  const presetId = q.get('preset');
  const preset = presetById(presetId) ?? DEFAULT_PRESET;
  if (presetId && !presetById(presetId)) warnings.push(`unknown preset '${presetId}'`);
  const state = presetState(preset);
  const over: Partial<RunConfig> = {};
  for (const [key, raw] of q) {
    if ((PAGE_PARAMS as readonly string[]).includes(key)) continue;
    const f = fieldByFlag(key);
    if (!f) {
      warnings.push(`unknown URL parameter '${key}'`);
      continue;
    }
    try {
      (over as Record<string, unknown>)[f.key] = parseFieldValue(f, raw);
    } catch (e) {
      warnings.push(`URL parameter ${key}: ${(e as Error).message}`);
    }
  }
  const runs = q.get('runs');
  if (runs !== null) {
    const list = runs.split(',').filter(Boolean);
    const ok = list.filter((m): m is Method => (METHODS as readonly string[]).includes(m));
    if (ok.length !== list.length || ok.length === 0 || ok.length > 2) warnings.push(`runs '${runs}': expected one or two of ${METHODS.join(', ')}`);
    if (ok.length) state.runs = ok.slice(0, 2);
  } else if (over.method) {
    state.runs = [over.method];
  }
  over.method = state.runs[0];
  try {
    state.config = makeConfig({ ...state.config, ...over });
  } catch (e) {
    warnings.push(`URL configuration: ${(e as Error).message}; using the preset's values`);
  }
  const speed = q.get('speed');
  if (speed !== null) {
    const v = speed === 'max' ? 0 : Number(speed);
    if (Number.isFinite(v) && v >= 0) state.speed = v;
    else warnings.push(`speed '${speed}': expected 'max' or rounds per second`);
  }
  const hide = q.get('hide');
  if (hide) {
    const list = hide.split(',').filter(Boolean);
    for (const h of list) if (!HIDEABLE.includes(h)) warnings.push(`hide: unknown control '${h}'`);
    state.hide = list.filter((h) => HIDEABLE.includes(h));
  }
  const backend = q.get('backend');
  if (backend) {
    const list = backend.split(',').filter((b): b is BackendName => (BACKENDS as readonly string[]).includes(b));
    if (list.length === 0) warnings.push(`backend '${backend}': expected ${BACKENDS.join(', ')}`);
    else state.backends = list;
  }
  const threads = q.get('threads');
  if (threads !== null) {
    const v = Number(threads);
    if (Number.isInteger(v) && v >= 1 && v <= 64) state.threads = v;
    else warnings.push(`threads '${threads}': expected a whole number from 1 to 64`);
  }
  state.paused = q.has('paused') && q.get('paused') !== 'false' && q.get('paused') !== '0';
  const nb201 = q.get('nb201');
  if (nb201) state.nb201 = nb201;
  return { state, warnings };
}

/** The query string (with '?') for a state: preset plus what differs from it. */
export function pageQuery(s: PageState): string {
  const preset = presetById(s.preset) ?? DEFAULT_PRESET;
  const base = presetState(preset);
  const q = new URLSearchParams();
  q.set('preset', preset.id);
  if (s.runs.join(',') !== base.runs.join(',')) q.set('runs', s.runs.join(','));
  for (const f of FIELDS) {
    if (f.key === 'method' || f.key === 'classes' || f.key === 'inChannels') continue;
    const v = s.config[f.key];
    if (v !== base.config[f.key]) q.set(f.flag, String(v));
  }
  if (s.speed > 0) q.set('speed', String(s.speed));
  if (s.hide.length) q.set('hide', s.hide.join(','));
  if (s.backends?.length) q.set('backend', s.backends.join(','));
  if (s.threads) q.set('threads', String(s.threads));
  if (s.paused) q.set('paused', '');
  if (s.nb201) q.set('nb201', s.nb201);
  return `?${q.toString().replace(/=(?=&|$)/g, '').replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%2F/g, '/')}`;
}

/** Fields that differ between two configs, cold ones first (those restart the runs). */
export function configDiff(a: RunConfig, b: RunConfig): { cold: (keyof RunConfig)[]; hot: (keyof RunConfig)[] } {
  const cold: (keyof RunConfig)[] = [], hot: (keyof RunConfig)[] = [];
  for (const f of FIELDS) if (a[f.key] !== b[f.key]) (f.hot ? hot : cold).push(f.key);
  return { cold, hot };
}
