/**
 * Preload for measurements before the installer is wired into the CLI:
 * `npx tsx --import ./test/kernels/install-fast.ts src/cli/bench.ts --backends cpu …`.
 */
import { installFastCpuKernels } from '../../src/core/kernels/cpu/index';

installFastCpuKernels();
