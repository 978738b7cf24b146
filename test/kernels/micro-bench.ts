/**
 * Measurement script (not a test): `npx tsx test/kernels/micro-bench.ts` times each fast kernel
 * against the stock one on supernet-sized inputs and prints max |fast − stock|.
 */
import * as tf from '@tensorflow/tfjs';
import { installFastCpuKernels, useFastCpuKernels } from '../../src/core/kernels/cpu/index';

type Case = { name: string; run: () => tf.Tensor | tf.Tensor[] };

function time(run: Case['run'], reps: number): { ms: number; out: Float32Array[] } {
  let outs = tf.tidy(() => [run()].flat());
  const res = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  // CPU time of this process (the machine is shared; wall time is noisy)
  const t0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) {
    outs = tf.tidy(() => [run()].flat());
    tf.dispose(outs);
  }
  const t = process.cpuUsage(t0);
  return { ms: (t.user + t.system) / 1000 / reps, out: res };
}

async function main() {
  await tf.setBackend('cpu');
  tf.env().set('PROD', true);
  const r = (s: number[]) => tf.randomNormal(s, 0, 1, 'float32', 1);
  const B = Number(process.argv[2] ?? 64), C = Number(process.argv[3] ?? 8), S = Number(process.argv[4] ?? 16);
  const x = tf.relu(r([B, S, S, C])) as tf.Tensor4D, w3 = r([3, 3, C, C]) as tf.Tensor4D, w1 = r([1, 1, C, C]) as tf.Tensor4D;
  const dw = r([5, 5, C, 1]) as tf.Tensor4D, g = r([C]);
  const cases: Case[] = [
    { name: 'conv3x3 fwd', run: () => tf.conv2d(x, w3, 1, 1) },
    { name: 'conv3x3 grads', run: () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 1))([x, w3]) },
    { name: 'conv1x1 grads', run: () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 0))([x, w1]) },
    { name: 'conv3x3 s2 grads', run: () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 1))([x, w3]) },
    { name: 'dw5x5 grads', run: () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 2))([x, dw]) },
    { name: 'avgpool valid grad', run: () => tf.grad((a: tf.Tensor) => tf.avgPool(tf.pad(a as tf.Tensor4D, [[0, 0], [1, 1], [1, 1], [0, 0]]), 3, 1, 'valid'))(x) },
    { name: 'maxpool grad', run: () => tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 3, 1, 1))(x) },
    { name: 'bn-like', run: () => tf.grad((a: tf.Tensor) => { const m = tf.moments(a, [0, 1, 2]); return tf.mul(tf.mul(tf.sub(a, m.mean), tf.rsqrt(tf.add(m.variance, 1e-5))), g); })(x) },
  ];
  const only = process.argv[5];
  for (const c of cases.filter((c) => !only || c.name.includes(only))) {
    useFastCpuKernels(false);
    const s = time(c.run, 2);
    installFastCpuKernels();
    const f = time(c.run, 5);
    let err = 0, mag = 0;
    s.out.forEach((o, i) => o.forEach((v, j) => { err = Math.max(err, Math.abs(v - f.out[i][j])); mag = Math.max(mag, Math.abs(v)); }));
    console.log(`${c.name.padEnd(20)} stock ${s.ms.toFixed(1).padStart(8)} ms  fast ${f.ms.toFixed(2).padStart(8)} ms  ×${(s.ms / f.ms).toFixed(1).padStart(6)}  max|Δ| ${err.toExponential(2)} (max ${mag.toFixed(1)})`);
  }
}
main();
