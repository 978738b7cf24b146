#!/usr/bin/env python3
"""PyTorch reference timing for the search-step benchmark (`npm run bench`).

Builds the NAS-Bench-201 supernet the playground searches (stem conv3x3 + BN; 3 stages x N search
cells with ops none / skip_connect / nor_conv_1x1 / nor_conv_3x3 / avg_pool_3x3; ResNet reduction
blocks between stages; head BN-ReLU-GAP-linear) and times one DARTS and one Lambda-DARTS step on the
CPU, as ALGORITHM.md sections 3-4 define them:

  DARTS:    weight step  = 1 fwd/bwd on a train batch (weight grads + per-cell mixing-weight grads),
                           clip the global norm to 5, SGD (momentum, weight decay);
            arch step    = 1 fwd/bwd on a valid batch (per-cell grads -> alpha grad), Adam.
  Lambda:   the same, plus the closed-form alignment direction d and two more fwd/bwd passes
            at p - eps*d and p + eps*d; grad = grad_w L + lambda * (f - b) / (2 eps).

Every cell reads its own copy of softmax(alpha) with requires_grad, so the per-cell gradients
g^l = dL/dp^l come out of one backward pass. Data are N(0,1) images with random labels.

Usage: /usr/bin/python3 bench/pytorch_step.py [--presets demo,official] [--methods darts,lambda]
       [--threads 2] [--steps 5] [--warmup 2] [--device cpu|cuda]
Prints one JSON array [{"preset", "method", "ms_per_step", "cpu_ms_per_step", "threads"}] on stdout
(wall-clock median, and the median CPU time of all threads); progress goes to stderr.
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EDGES = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)]  # (to, from), the rows of alpha
PRESETS = {
    "tiny": dict(C=4, N=1, size=16, batch=16),
    "demo": dict(C=8, N=1, size=16, batch=64),
    "official": dict(C=16, N=5, size=32, batch=64),
}


class ReLUConvBN(nn.Sequential):
    def __init__(self, cin, cout, k, stride, affine):
        super().__init__(
            nn.ReLU(inplace=False),
            nn.Conv2d(cin, cout, k, stride=stride, padding=(k - 1) // 2, bias=False),
            nn.BatchNorm2d(cout, affine=affine),
        )


def make_op(name, C):
    if name == "none":
        return None
    if name == "skip_connect":
        return nn.Identity()
    if name == "nor_conv_1x1":
        return ReLUConvBN(C, C, 1, 1, affine=False)
    if name == "nor_conv_3x3":
        return ReLUConvBN(C, C, 3, 1, affine=False)
    if name == "avg_pool_3x3":
        return nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)
    raise ValueError(name)


class SearchCell(nn.Module):
    """node_i = sum_{j<i} sum_k p[row(i<-j), k] * op_k(node_j); the output is node 3."""

    def __init__(self, C):
        super().__init__()
        # 'none' keeps its column with a parameter-free placeholder; forward skips it (exact zeros)
        self.edges = nn.ModuleList(nn.ModuleList(make_op(o, C) or nn.Identity() for o in OPS) for _ in EDGES)

    def forward(self, x, p):
        nodes = [x]
        for i in range(1, 4):
            s = 0
            for row, (to, frm) in enumerate(EDGES):
                if to != i:
                    continue
                for k, name in enumerate(OPS):
                    if name != "none":
                        s = s + p[row, k] * self.edges[row][k](nodes[frm])
            nodes.append(s)
        return nodes[3]


class ResNetBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv_a = ReLUConvBN(cin, cout, 3, 2, affine=True)
        self.conv_b = ReLUConvBN(cout, cout, 3, 1, affine=True)
        self.downsample = nn.Sequential(nn.AvgPool2d(2, 2), nn.Conv2d(cin, cout, 1, bias=False))

    def forward(self, x):
        return self.downsample(x) + self.conv_b(self.conv_a(x))


class Supernet(nn.Module):
    def __init__(self, C, N, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, C, 3, padding=1, bias=False), nn.BatchNorm2d(C))
        cells, prev = [], C
        for stage, c in enumerate([C, 2 * C, 4 * C]):
            if stage > 0:
                cells.append(ResNetBlock(prev, c))
            cells += [SearchCell(c) for _ in range(N)]
            prev = c
        self.cells = nn.ModuleList(cells)
        self.lastact = nn.Sequential(nn.BatchNorm2d(prev), nn.ReLU())
        self.classifier = nn.Linear(prev, classes)
        self.num_search = 3 * N

    def forward(self, x, mixes):
        h, m = self.stem(x), 0
        for cell in self.cells:
            if isinstance(cell, SearchCell):
                h = cell(h, mixes[m])
                m += 1
            else:
                h = cell(h)
        h = self.lastact(h).mean(dim=(2, 3))
        return self.classifier(h)


def alignment_direction(g):
    """Closed-form d = dLambda/dG for 'corr' (ALGORITHM.md section 3); g is [L, D]."""
    L = g.shape[0]
    w = 2.0 / (L * (L - 1))
    norm = g.norm(dim=1, keepdim=True)
    inv = torch.where(norm > 0, 1.0 / norm, torch.zeros_like(norm))
    u = g * inv
    s = u.sum(0, keepdim=True)
    return w * inv * (s - u * (u * s).sum(1, keepdim=True))


class Searcher:
    def __init__(self, preset, method, lam=0.25, eps0=1e-4, seed=0, device="cpu"):
        torch.manual_seed(seed)
        cfg = PRESETS[preset]
        self.method, self.lam, self.eps0 = method, lam, eps0
        self.net = Supernet(cfg["C"], cfg["N"]).to(device).train()
        self.weights = [p for p in self.net.parameters()]
        self.alpha = (1e-3 * torch.randn(len(EDGES), len(OPS), device=device)).requires_grad_(True)
        self.w_opt = torch.optim.SGD(self.weights, lr=0.025, momentum=0.9, weight_decay=3e-4)
        self.a_opt = torch.optim.Adam([self.alpha], lr=3e-4, betas=(0.5, 0.999), weight_decay=1e-3)
        shape = (cfg["batch"], 3, cfg["size"], cfg["size"])
        self.train = (torch.randn(shape, device=device), torch.randint(0, 10, (cfg["batch"],), device=device))
        self.valid = (torch.randn(shape, device=device), torch.randint(0, 10, (cfg["batch"],), device=device))

    def mixes(self, P, pert=None):
        """One leaf copy of P per search cell (optionally perturbed per cell)."""
        return [(P if pert is None else P + pert[i]).clone().requires_grad_(True) for i in range(self.net.num_search)]

    def pass_(self, batch, mixes, want_w, want_mix):
        loss = F.cross_entropy(self.net(batch[0], mixes), batch[1])
        wrt = (self.weights if want_w else []) + (mixes if want_mix else [])
        grads = torch.autograd.grad(loss, wrt)
        nw = len(self.weights) if want_w else 0
        return loss, list(grads[:nw]), list(grads[nw:])

    def step(self):
        # weight step (NB201 order: weights first)
        P = F.softmax(self.alpha, dim=-1).detach()
        _, g_w, g_cells = self.pass_(self.train, self.mixes(P), True, True)
        if self.method == "lambda":
            G = torch.stack([g.reshape(-1) for g in g_cells])
            d = alignment_direction(G)
            dn = d.norm()
            eps = self.eps0 / dn if dn > 0 else torch.zeros((), device=dn.device)
            pert = [(eps * d[i]).reshape(P.shape) for i in range(G.shape[0])]
            _, f, _ = self.pass_(self.train, self.mixes(P, [-x for x in pert]), True, False)
            _, b, _ = self.pass_(self.train, self.mixes(P, pert), True, False)
            if eps > 0:
                g_w = [gu + self.lam * (fi - bi) / (2 * eps) for gu, fi, bi in zip(g_w, f, b)]
        # the official NB201 clip norm also counts dL_train/dalpha = J(p) sum_l g^l
        g_alpha = torch.autograd.grad(F.softmax(self.alpha, dim=-1), self.alpha, grad_outputs=sum(g_cells))[0]
        total = torch.sqrt(sum((g * g).sum() for g in g_w) + (g_alpha * g_alpha).sum())
        coef = torch.clamp(5.0 / (total + 1e-6), max=1.0)
        for p, g in zip(self.weights, g_w):
            p.grad = g * coef
        self.w_opt.step()
        # architecture step: first-order DARTS on the valid batch
        P = F.softmax(self.alpha, dim=-1)
        _, _, gv = self.pass_(self.valid, self.mixes(P.detach()), False, True)
        self.alpha.grad = torch.autograd.grad(P, self.alpha, grad_outputs=sum(gv))[0]
        self.a_opt.step()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--presets", default="demo,official")
    ap.add_argument("--methods", default="darts,lambda")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5, help="timed steps (median reported)")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--device", default="cpu", help="cpu or cuda (a GPU machine: PyTorch CUDA reference)")
    a = ap.parse_args()
    if a.device.startswith("cuda") and not torch.cuda.is_available():
        sys.exit("--device cuda: this PyTorch has no CUDA device")
    torch.set_num_threads(a.threads)
    sync = torch.cuda.synchronize if a.device.startswith("cuda") else (lambda: None)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, device {a.device}", file=sys.stderr)
    rows = []
    for preset in a.presets.split(","):
        for method in a.methods.split(","):
            s = Searcher(preset, method, device=a.device)
            for _ in range(a.warmup):
                s.step()
            sync()
            times, cpu = [], []
            for _ in range(a.steps):
                t0, c0 = time.perf_counter(), time.process_time()
                s.step()
                sync()
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            ms = statistics.median(times)
            print(f"{preset} {method}: {ms:.1f} ms/step (steps {', '.join(f'{t:.0f}' for t in times)}; "
                  f"CPU time of all threads {', '.join(f'{t:.0f}' for t in cpu)})", file=sys.stderr)
            # CPU time (all threads) as well: on a shared machine wall time of a multi-threaded step is noisy
            rows.append({"preset": preset, "method": method, "ms_per_step": round(ms, 1),
                         "cpu_ms_per_step": round(statistics.median(cpu), 1), "threads": a.threads, "device": a.device})
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
