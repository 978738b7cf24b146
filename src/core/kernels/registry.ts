/**
 * Swapping tfjs kernels per backend: replacements that defer to the stock kernel (a fast kernel
 * returns null for inputs it does not handle) and kernels of this project with no stock counterpart.
 */
import * as tf from '@tensorflow/tfjs';

/** A replacement: its result, or null to run the stock kernel. */
export type Replacement<A> = (args: A) => tf.TensorInfo | tf.TensorInfo[] | null;

export class KernelSet<A> {
  private readonly stock = new Map<string, tf.KernelConfig>();
  private on = false;

  constructor(
    readonly backendName: string,
    /** kernel name → replacement of tfjs's kernel */
    readonly replacements: Record<string, Replacement<A>>,
    /** kernel name → a kernel of our own (kernels/names.ts), registered only while on */
    readonly own: Record<string, (args: A) => tf.TensorInfo | tf.TensorInfo[]> = {},
  ) {}

  get installed(): boolean {
    return this.on;
  }

  /** Registers ours (true) or restores the stock kernels and drops our own (false); idempotent. */
  use(on: boolean): void {
    if (on === this.on) return;
    for (const [name, fast] of Object.entries(this.replacements)) {
      if (!this.stock.has(name)) {
        const k = tf.getKernel(name, this.backendName);
        if (!k) continue; // that backend is not loaded
        this.stock.set(name, k);
      }
      const orig = this.stock.get(name)!;
      tf.unregisterKernel(name, this.backendName);
      if (on) {
        const kernelFunc = (args: A) => fast(args) ?? orig.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]);
        tf.registerKernel({ ...orig, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
      } else {
        tf.registerKernel(orig);
      }
    }
    for (const [name, fn] of Object.entries(this.own)) {
      if (tf.getKernel(name, this.backendName)) tf.unregisterKernel(name, this.backendName);
      if (on) tf.registerKernel({ kernelName: name, backendName: this.backendName, kernelFunc: fn as unknown as tf.KernelFunc });
    }
    this.on = on;
  }
}
