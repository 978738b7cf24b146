#!/usr/bin/env bash
# On a GPU machine (after bench/gpu-prepare.sh here; carry .gpu): the search step on WebGPU in Node
# through Dawn on the GPU's Vulkan driver, with this project's kernels and with tfjs's stock ones,
# and the same step in PyTorch on CUDA and on the CPU, for the demo and the official NB201 size.
# Also the CPU backend on 1 and on $CPU_THREADS threads for $CPU_PRESETS, DARTS, 2 steps (default:
# official, whose convolutions are large enough to be threaded; 8 threads).
# Writes JSON to $OUT (or ./gpu-out): webgpu-ours.json, webgpu-stock.json, torch-cuda.json, torch-cpu.json,
# cpu-1.json, cpu-N.json.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-gpu-out}; mkdir -p "$OUT"
STEPS=${STEPS:-5}; PRESETS=${PRESETS:-demo,official}; CPU_PRESETS=${CPU_PRESETS:-official}; CPU_THREADS=${CPU_THREADS:-8}
export CPU_THREADS
for f in .gpu/debs/*.deb; do [ -e "$f" ] && dpkg -x "$f" /; done; ldconfig 2>/dev/null
mkdir -p /tmp/nodebin && tar -xJf .gpu/node.tar.xz -C /tmp/nodebin && export PATH=/tmp/nodebin:$PATH
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  [ -e "$icd" ] && export VK_DRIVER_FILES=$icd && break
done
export __EGL_VENDOR_LIBRARY_FILENAMES=${__EGL_VENDOR_LIBRARY_FILENAMES:-/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json}
(nvidia-smi -L; node --version; echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-}") 2>&1 | tee "$OUT/machine.txt"
bench() { timeout 900 node .gpu/bench/bench.js --backends webgpu-node --presets "$PRESETS" --steps "$STEPS" --pytorch false --json "$@"; }
bench > "$OUT/webgpu-ours.json" 2> >(tee "$OUT/webgpu-ours.log" >&2)
bench --stock-kernels > "$OUT/webgpu-stock.json" 2> >(tee "$OUT/webgpu-stock.log" >&2)
python3 bench/pytorch_step.py --device cuda --presets "$PRESETS" --steps "$STEPS" > "$OUT/torch-cuda.json"
python3 bench/pytorch_step.py --device cpu --threads "$(nproc)" --presets "$PRESETS" --steps 3 > "$OUT/torch-cpu.json"
for t in 1 "$CPU_THREADS"; do
  timeout 600 node .gpu/bench/bench.js --backends cpu --threads "$t" --presets "$CPU_PRESETS" --methods darts --steps 2 --pytorch false --json > "$OUT/cpu-$t.json" 2> >(tee "$OUT/cpu-$t.log" >&2)
done
python3 bench/pytorch_step.py --device cpu --threads "$CPU_THREADS" --presets "$CPU_PRESETS" --methods darts --steps 3 > "$OUT/torch-cpu-$CPU_THREADS.json"
python3 - "$OUT" <<'PY'
import json, sys, os
o = sys.argv[1]
def load(n):
    try: return json.load(open(os.path.join(o, n)))
    except Exception: return []
ours, stock, cuda, cpu = (load(n) for n in ("webgpu-ours.json", "webgpu-stock.json", "torch-cuda.json", "torch-cpu.json"))
key = lambda r: (r["preset"], r["method"])
S, C, P = ({key(r): r for r in t} for t in (stock, cuda, cpu))
print("| preset | method | WebGPU ours ms | stock ms | dispatches | PyTorch CUDA ms | ours/CUDA | PyTorch CPU ms |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for r in ours:
    k = key(r); c = C.get(k, {}).get("ms_per_step")
    print(f"| {k[0]} | {k[1]} | {r['ms_per_step']} | {S.get(k, {}).get('ms_per_step', '–')} | {r['dispatches_per_step']} | {c if c else '–'} | {round(r['ms_per_step'] / c, 1) if c else '–'} | {P.get(k, {}).get('ms_per_step', '–')} |")
n = os.environ.get("CPU_THREADS", "8")
one, many, tn = (load(f) for f in ("cpu-1.json", f"cpu-{n}.json", f"torch-cpu-{n}.json"))
M, T = {key(r): r for r in many}, {key(r): r for r in tn}
print(f"\n| preset | method | CPU backend, 1 thread ms | {n} threads ms | PyTorch CPU, {n} threads ms | ours/PyTorch |")
print("|---|---|---:|---:|---:|---:|")
for r in one:
    k = key(r); m = M.get(k, {}).get("ms_per_step"); t = T.get(k, {}).get("ms_per_step")
    print(f"| {k[0]} | {k[1]} | {r['ms_per_step']} | {m or '–'} | {t or '–'} | {round(m / t, 1) if m and t else '–'} |")
PY
