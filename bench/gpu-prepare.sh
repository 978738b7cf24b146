#!/usr/bin/env bash
# Packs what `bench/gpu-run.sh` needs on a GPU machine that has no Node and no network (the
# `device` tool's machines; see README "Speed"): a Node binary, the benchmark bundled into one
# folder of ES modules, Dawn's node binding (the optional npm package `webgpu`, linux-x64 only) and
# the Vulkan loader. Everything goes to .gpu/ (git-ignored, ~49 MB), which the run carries.
#   bash bench/gpu-prepare.sh && (device) run: bash bench/gpu-run.sh   with carry [".gpu"]
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf .gpu && mkdir -p .gpu/debs
[ -d node_modules/webgpu ] || npm install --no-save webgpu@0.6.2
# the benchmark CLI as ES modules (and the CPU kernels' helper-thread entry); lazy chunks keep Chromium / Vite imports out of the start-up path
npx esbuild src/cli/bench.ts src/cli/cpu-thread.ts --bundle --platform=node --format=esm --splitting --outdir=.gpu/bench \
  --external:webgpu --external:playwright-core --external:vite --log-level=warning \
  --banner:js="import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);"
mkdir -p .gpu/bench/node_modules/webgpu/dist/linux-x64
cp node_modules/webgpu/index.js node_modules/webgpu/package.json .gpu/bench/node_modules/webgpu/
cp node_modules/webgpu/dist/linux-x64/dawn.node .gpu/bench/node_modules/webgpu/dist/linux-x64/
tar -C "$(dirname "$(readlink -f "$(command -v node)")")" -cJf .gpu/node.tar.xz node
# the Vulkan loader (the GPU machine has the NVIDIA driver's ICD but may lack libvulkan.so.1)
(cd .gpu/debs && apt-get download libvulkan1 2>/dev/null) || echo "apt-get download libvulkan1 failed: the run will rely on the machine's loader"
du -sh .gpu
