/**
 * Node 20's V8 (11.3) has WebAssembly relaxed SIMD behind a flag; the CPU kernels' GEMM uses its
 * fused multiply-add when present (core/kernels/cpu/wasm.ts). Import this first in a Node entry
 * point, before anything that loads the kernels (they compile at import). Later Node versions,
 * and Chromium ≥ 114, have it on already.
 */
import { setFlagsFromString } from 'node:v8';
import { RELAXED_SIMD_PROBE } from '../core/kernels/cpu/asm';

if (!WebAssembly.validate(RELAXED_SIMD_PROBE)) setFlagsFromString('--experimental-wasm-relaxed-simd');
