/**
 * WebGPU in Node through Dawn: the optional npm package `webgpu` (not a dependency; install it with
 * `npm install --no-save webgpu@0.6.2`) gives Node a `navigator.gpu`, and tfjs-backend-webgpu then
 * runs on it with this project's kernels, as in the browser. On a machine with a GPU and its Vulkan
 * driver this is the GPU; without one, Chromium's SwiftShader Vulkan driver (/usr/lib/chromium) serves.
 *
 * Dawn's Vulkan needs the loader libvulkan.so.1 and a driver manifest (ICD). The dynamic linker reads
 * LD_LIBRARY_PATH at process start, so `withVulkanEnv` re-runs the command once with them set when
 * the system lacks them.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const CHROMIUM_LIB = '/usr/lib/chromium';
const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/local/nvidia/share/vulkan/icd.d'];
const LOADER_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu'];
const MARK = 'LAMBDA_DARTS_VULKAN_ENV';

const hasLoader = () => LOADER_DIRS.some((d) => existsSync(`${d}/libvulkan.so.1`)) || (process.env.LD_LIBRARY_PATH ?? '').split(':').some((d) => d && existsSync(`${d}/libvulkan.so.1`));
const icds = () => ICD_DIRS.flatMap((d) => (existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => `${d}/${f}`) : []));

/** The environment additions Dawn's Vulkan needs here (empty when the system has them). */
export function vulkanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  if (!hasLoader() && existsSync(`${CHROMIUM_LIB}/libvulkan.so.1`)) env.LD_LIBRARY_PATH = [CHROMIUM_LIB, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  const set = process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES;
  if (!set) {
    const gpu = icds().filter((f) => !/swiftshader|lvp|lavapipe/i.test(f));
    if (gpu.length) env.VK_DRIVER_FILES = gpu.join(':');
    else if (existsSync(`${CHROMIUM_LIB}/vk_swiftshader_icd.json`) && icds().length === 0) env.VK_ICD_FILENAMES = `${CHROMIUM_LIB}/vk_swiftshader_icd.json`;
  }
  return env;
}

/**
 * Re-runs this process once with `vulkanEnv()` applied when it adds anything; returns false when
 * the current process already has what it needs (go on), else exits with the child's status.
 */
export function withVulkanEnv(): false {
  if (process.env[MARK]) return false;
  const add = vulkanEnv();
  if (Object.keys(add).length === 0) return false;
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, ...add, [MARK]: '1' } });
  process.exit(r.status ?? 1);
}

export const NODE_WEBGPU_HINT = "WebGPU in Node needs the optional package 'webgpu' (Dawn): npm install --no-save webgpu@0.6.2";

/**
 * Sets tfjs's webgpu backend on Dawn, with this project's kernels (unless `stock`). Resolves to the
 * adapter's description; throws with what to install when the package or a Vulkan driver is missing.
 */
export async function useNodeWebgpu(stock = false): Promise<string> {
  let mod: { create(flags: string[]): GPU; globals: Record<string, unknown> };
  try {
    mod = (await import(/* @vite-ignore */ 'webgpu' as string)) as typeof mod;
  } catch (e) {
    throw new Error(`${NODE_WEBGPU_HINT} (${(e as Error).message.split('\n')[0]})`);
  }
  Object.assign(globalThis, mod.globals);
  const gpu = mod.create([]);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error(`Dawn found no WebGPU adapter (Vulkan: ${JSON.stringify(vulkanEnv())}; set VK_DRIVER_FILES to your driver's ICD json)`);
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
  await import('@tensorflow/tfjs-backend-webgpu');
  const { useBackend } = await import('../worker/backend');
  if (!(await useBackend('webgpu'))) throw new Error('tf.setBackend("webgpu") failed on Dawn');
  if (stock) (await import('../core/kernels/webgpu/index')).useFastWebgpuKernels(false);
  tf.env().set('PROD', true);
  return [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'unknown adapter';
}
