/**
 * Fixes for stock tfjs 4.22 kernels, registered for a backend before training.
 *
 * WebGPU AddN: tfjs-backend-webgpu binds every input as its own storage buffer and writes one
 * `+` chain into the shader. With more inputs than maxStorageBuffersPerShaderStage − 1 (7 on
 * SwiftShader) the pipeline is invalid and the result is silently stale memory (0, or an earlier
 * result); hundreds of inputs also exceed WGSL's expression depth. A global gradient norm adds
 * one term per parameter tensor, so the clip coefficient, the update and everything after were
 * wrong (the golden fixtures caught it). The patch sums in chunks the shader can bind.
 */
import * as tf from '@tensorflow/tfjs';

interface WebGpuLike {
  device: GPUDevice;
  disposeData(dataId: tf.TensorInfo['dataId']): void;
}

let patched = false;

/** Idempotent; call after the webgpu backend is registered (importing tfjs-backend-webgpu). */
export function patchWebgpuKernels(): void {
  if (patched) return;
  const orig = tf.getKernel('AddN', 'webgpu');
  if (!orig) return;
  patched = true;
  tf.unregisterKernel('AddN', 'webgpu');
  tf.registerKernel({
    kernelName: 'AddN',
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const b = backend as WebGpuLike;
      const max = Math.max(2, Math.min(16, b.device.limits.maxStorageBuffersPerShaderStage - 1));
      let ts = inputs as unknown as tf.TensorInfo[];
      const temps: tf.TensorInfo[] = [];
      while (ts.length > max) {
        const next: tf.TensorInfo[] = [];
        for (let i = 0; i < ts.length; i += max) {
          const chunk = ts.slice(i, i + max);
          if (chunk.length === 1) next.push(chunk[0]);
          else {
            const part = orig.kernelFunc({ inputs: chunk as unknown as tf.NamedTensorInfoMap, backend, attrs }) as tf.TensorInfo;
            temps.push(part);
            next.push(part);
          }
        }
        ts = next;
      }
      const out = orig.kernelFunc({ inputs: ts as unknown as tf.NamedTensorInfoMap, backend, attrs });
      for (const t of temps) b.disposeData(t.dataId);
      return out;
    },
  });
}
