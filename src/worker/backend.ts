/**
 * Picks the tfjs backend for training: WebGPU first, WebGL as the fallback, CPU last (WASM cannot
 * train: DESIGN.md). Says which one runs and why the better ones were skipped. With the default
 * order, a software GPU (SwiftShader, llvmpipe: no hardware GPU) is skipped, because the CPU backend
 * with this project's kernels is 10–30× faster than an emulated GPU; an explicit order (`backend=`
 * in the URL) is always tried as given.
 */
import * as tf from '@tensorflow/tfjs';
import { installFastCpuKernels } from '../core/kernels/cpu/index';
import { installFastWebgpuKernels } from '../core/kernels/webgpu/index';
import '@tensorflow/tfjs-backend-webgpu';
import { patchWebgpuKernels } from './kernels';
import { defaultBrowserCpuThreads, startBrowserCpuThreads } from './cpu-threads';
import { BACKENDS, type BackendName } from './protocol';

export interface BackendChoice {
  backend: BackendName;
  /** e.g. "WebGPU unavailable: navigator.gpu missing; using WebGL". */
  reason: string;
  /** Adapter / renderer description, or ''. */
  adapter: string;
}

const LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', cpu: 'CPU' };

/** A software rasterizer rather than a GPU (adapter or renderer description). */
export function isSoftwareGpu(desc: string): boolean {
  return /swiftshader|llvmpipe|lavapipe|softpipe|software|fallback adapter/i.test(desc);
}

const SOFTWARE = 'software rendering (no hardware GPU), slower than the CPU backend here';

/** Why `name` cannot run here, or null when it may (the final word is tf.setBackend's). */
async function precheck(name: BackendName, avoidSoftware: boolean): Promise<{ problem: string | null; adapter: string }> {
  if (name === 'webgpu') {
    const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
    if (!gpu) return { problem: 'navigator.gpu missing', adapter: '' };
    let adapter: GPUAdapter | null = null;
    try {
      adapter = await gpu.requestAdapter();
    } catch (e) {
      return { problem: `requestAdapter failed (${(e as Error).message})`, adapter: '' };
    }
    if (!adapter) return { problem: 'no WebGPU adapter', adapter: '' };
    const desc = await describeAdapter(adapter);
    if (avoidSoftware && isSoftwareGpu(desc)) return { problem: `${desc}: ${SOFTWARE}`, adapter: desc };
    return { problem: null, adapter: desc };
  }
  if (name === 'webgl') {
    if (typeof OffscreenCanvas === 'undefined' && typeof document === 'undefined') return { problem: 'no OffscreenCanvas', adapter: '' };
    const renderer = avoidSoftware && typeof OffscreenCanvas !== 'undefined' ? webglRenderer() : '';
    if (renderer && isSoftwareGpu(renderer)) return { problem: `${renderer}: ${SOFTWARE}`, adapter: renderer };
    return { problem: null, adapter: '' };
  }
  return { problem: null, adapter: '' };
}

/** "google swiftshader (fallback adapter)"; `info` is newer than these type definitions. */
async function describeAdapter(adapter: GPUAdapter): Promise<string> {
  const a = adapter as GPUAdapter & { info?: GPUAdapterInfo & { isFallbackAdapter?: boolean } };
  let info: (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined = a.info;
  if (!info && typeof a.requestAdapterInfo === 'function') info = await a.requestAdapterInfo().catch(() => undefined);
  const desc = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'unknown adapter';
  return info?.isFallbackAdapter || a.isFallbackAdapter ? `${desc} (fallback adapter)` : desc;
}

function webglRenderer(): string {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return '';
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return '';
  }
}

/**
 * tf.setBackend plus the kernel fixes training needs on that backend (kernels.ts). Every page
 * and worker that trains should set its backend through here. Resolves false when it failed.
 */
export async function useBackend(name: string): Promise<boolean> {
  if (!(await tf.setBackend(name))) return false;
  await tf.ready();
  if (name === 'webgpu') {
    patchWebgpuKernels();
    // barrier-free conv / matmul and fused BatchNorm (kernels/webgpu): fewer, flatter dispatches
    installFastWebgpuKernels();
  }
  // The stock CPU kernels are ~100× slower for DARTS cells (DESIGN.md); ours run WASM SIMD.
  if (name === 'cpu') installFastCpuKernels();
  return true;
}

/** Starts the CPU kernels' helper threads; ' · 3 CPU threads', or why there is one. */
async function cpuThreadNote(requested = defaultBrowserCpuThreads()): Promise<string> {
  const { threads, problem } = await startBrowserCpuThreads(requested);
  if (threads > 1) return ` · ${threads} CPU threads`;
  return requested > 1 && problem ? ` · 1 CPU thread (${problem})` : '';
}

/** The WebGPU device of the active backend, or null (tfjs-backend-webgpu exposes `backend.device`). */
function webgpuDevice(): GPUDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return (tf.backend() as unknown as { device?: GPUDevice }).device ?? null;
}

/** Calls `onLost` once when the active WebGPU device is lost (no-op on other backends). */
export function watchDeviceLost(onLost: (message: string) => void): void {
  const device = webgpuDevice();
  void device?.lost.then((info) => onLost(`${info.reason === 'destroyed' ? 'the device was destroyed' : 'the GPU device was lost'}${info.message ? `: ${info.message}` : ''}`));
}

/** Test hook: destroys the WebGPU device, as a driver reset would lose it. */
export function loseDevice(): boolean {
  const device = webgpuDevice();
  device?.destroy();
  return !!device;
}

/**
 * After a lost device: drops the dead backend instance (keeping its factory) and starts a fresh
 * one, falling back along `order`. Tensors of the old backend are gone; callers rebuild from
 * checkpoints (plain arrays).
 */
export async function recreateBackend(order: readonly BackendName[] = BACKENDS): Promise<BackendChoice> {
  const name = tf.getBackend();
  if (name) {
    const factory = tf.findBackendFactory(name);
    try {
      tf.removeBackend(name);
    } catch {
      // a lost device may fail to dispose; the registry entry is gone either way
    }
    if (factory) tf.registerBackend(name, factory);
  }
  return pickBackend(order);
}

/**
 * Tries `order` in turn; throws when none initialises. `avoidSoftware` (default: when `order` is
 * the default) skips WebGPU/WebGL on a software rasterizer while a later backend remains. On the
 * CPU backend the kernels get `cpuThreads` threads (default: every core but one) where the page
 * allows it (cpu-threads.ts); the reason says how many.
 */
export async function pickBackend(order: readonly BackendName[] = BACKENDS, avoidSoftware = order === BACKENDS, cpuThreads?: number): Promise<BackendChoice> {
  const skipped: string[] = [];
  for (const [i, name] of order.entries()) {
    const { problem, adapter } = await precheck(name, avoidSoftware && i < order.length - 1);
    let why = problem;
    if (!why) {
      try {
        if (await useBackend(name)) {
          let reason = skipped.length ? `${skipped.join('; ')}; using ${LABEL[name]}` : `${LABEL[name]} available`;
          if (name === 'cpu') reason += await cpuThreadNote(cpuThreads);
          return { backend: name, reason, adapter: name === 'webgl' ? webglRenderer() : adapter };
        }
        why = 'backend failed to initialise';
      } catch (e) {
        why = (e as Error).message || String(e);
      }
    }
    skipped.push(`${LABEL[name]} ${why.includes(SOFTWARE) ? 'skipped' : 'unavailable'}: ${why}`);
  }
  throw new Error(`no tfjs backend could start (${skipped.join('; ')})`);
}
