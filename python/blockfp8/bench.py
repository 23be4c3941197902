"""python -m blockfp8.bench: the cost of a call from Python, and GEMM grid rows beside
torch._scaled_mm with the same block-scaling recipe (1x128 activations, 128x128 weights).

Host overhead: microseconds of CPU time per call, measured as the time to enqueue many
calls on a small shape (the GPU keeps up, so the loop is bound by the host).
Grid rows: the method of docs/design.md §4 — a CUDA graph of G back-to-back calls
(G·t >= 0.5 ms), rotating through enough copies of the operands (>= 3x L2) that the
weights arrive cold, median over 50 replays of replay time / G.
"""

import argparse
import datetime
import json
import math
import os
import shlex
import statistics
import subprocess
import sys
import time

import torch

import blockfp8
from blockfp8._ext import gemm as ext_gemm

FP8 = torch.float8_e4m3fn
PEAK_FP8_FLOPS = 1979e12  # H100 SXM dense FP8 (design §4); say which card ran
PEAK_HBM_BYTES = 3.35e12

QWEN3_8B = {"qkv": (6144, 4096), "o": (4096, 4096), "gate_up": (24576, 4096), "down": (4096, 12288)}


def random_operands(m, n, k):
    x = torch.randn(m, k, device="cuda").to(torch.bfloat16)
    w = (torch.randn(n, k, device="cuda") * 100).clamp(-448, 448).to(FP8)
    sw = torch.rand((n + 127) // 128, k // 128, device="cuda") * 1e-2 + 1e-3
    q, sa = blockfp8.quantize(x, scale_layout="m-major")
    return x, q, sa, w, sw


# --- host overhead ---------------------------------------------------------------------------

def host_us_per_call(fn, calls=300, repeats=15):
    # Few enough calls that the launch queue never fills (a full queue would make the
    # host wait for the GPU and measure kernel time instead).
    fn()
    torch.cuda.synchronize()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter() - start) / calls * 1e6)
        torch.cuda.synchronize()
    return statistics.median(samples)


def overhead_rows(m=1, n=1024, k=1024):
    x, q, sa, w, sw = random_operands(m, n, k)
    out = torch.empty(m, n, dtype=torch.bfloat16, device="cuda")
    # The device the operands live on (the current one), with that device's current stream.
    device = q.device.index
    stream = torch.cuda.current_stream(device).cuda_stream
    raw = (q.data_ptr(), sa.data_ptr(), True, w.data_ptr(), sw.data_ptr(), out.data_ptr(), m, n, k, device, stream)
    w_bf16 = torch.randn(n, k, device="cuda").to(torch.bfloat16)
    calls = [
        ("blockfp8._ext.gemm (raw addresses, no checks)", lambda: ext_gemm(*raw)),
        ("blockfp8.gemm(out=...) (checks + direct call)", lambda: blockfp8.gemm(q, sa, w, sw, out=out)),
        ("torch.ops.blockfp8.gemm_out (dispatcher)", lambda: torch.ops.blockfp8.gemm_out(q, sa, w, sw, out)),
        ("blockfp8.linear (quantize + gemm, 3 allocations)", lambda: blockfp8.linear(x, w, sw)),
        ("torch.ops.blockfp8.linear (dispatcher)", lambda: torch.ops.blockfp8.linear(x, w, sw)),
        ("torch.mm bf16 (a native op, for scale)", lambda: torch.mm(x, w_bf16.t())),
    ]
    peer = scaled_mm_call(q, sa, w, sw)
    if peer is not None:
        calls.append(("torch._scaled_mm blockwise", peer[0]))
    return [(name, host_us_per_call(fn)) for name, fn in calls]


# --- the peer: torch._scaled_mm with 1x128 x 128x128 scales ------------------------------------

def scaled_mm_call(q, sa, w, sw):
    """A callable running torch._scaled_mm on the same operands and the scale layout it
    accepted, or None if it refuses them (recorded as null, never a made-up number)."""
    sa_outer = sa.t().contiguous().t()  # [M, K/128] with strides (1, M): the layout it wants
    groups_n = sw.shape[0]
    padded = torch.zeros(sw.shape[1], (groups_n + 3) // 4 * 4, device="cuda")
    padded[:, :groups_n] = sw.t()
    for sb in (sw.t().contiguous(), padded[:, :groups_n]):
        def call(sb=sb):
            return torch._scaled_mm(q, w.t(), scale_a=sa_outer, scale_b=sb, out_dtype=torch.bfloat16)
        try:
            result = call()
            torch.cuda.synchronize()
            return call, result
        except (RuntimeError, ValueError):
            continue
    return None


# --- grid rows ---------------------------------------------------------------------------------

def graph_time_us(calls, min_ms=0.5, replays=50):
    """calls: one callable per operand copy. Median replay time / G of a graph of G calls."""
    for c in calls:
        c()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for c in calls:
        c()
    end.record()
    end.synchronize()
    per_call_ms = max(start.elapsed_time(end) / len(calls), 1e-3)
    g = max(len(calls), math.ceil(min_ms / per_call_ms / len(calls)) * len(calls))
    graph = torch.cuda.CUDAGraph()
    stream = torch.cuda.Stream()
    with torch.cuda.stream(stream):
        with torch.cuda.graph(graph, stream=stream):
            for i in range(g):
                calls[i % len(calls)]()
    for _ in range(3):
        graph.replay()
    samples = []
    for _ in range(replays):
        start.record()
        graph.replay()
        end.record()
        end.synchronize()
        samples.append(start.elapsed_time(end) * 1e3 / g)
    return statistics.median(samples)


def grid_row(name, m, n, k):
    l2 = torch.cuda.get_device_properties(0).L2_cache_size
    copy_bytes = m * k + n * k + 2 * m * n
    copies = max(1, math.ceil(3 * l2 / copy_bytes))
    operands = [random_operands(m, n, k) for _ in range(copies)]
    outs = [torch.empty(m, n, dtype=torch.bfloat16, device="cuda") for _ in range(copies)]
    ours = [lambda o=o, c=c: blockfp8.gemm(o[1], o[2], o[3], o[4], out=c) for o, c in zip(operands, outs)]
    us = graph_time_us(ours)
    peers = [scaled_mm_call(*o[1:]) for o in operands]
    peer_us = graph_time_us([p[0] for p in peers]) if all(peers) else None
    agreement = None
    if peers[0] is not None:
        ref = peers[0][1].float()
        agreement = ((outs[0].float() - ref).norm() / ref.norm().clamp(min=1e-30)).item()
    flops = 2 * m * n * k
    bytes_moved = m * k + n * k + 2 * m * n + 4 * (m * k / 128 + n * k / 16384)
    roofline_us = max(flops / PEAK_FP8_FLOPS, bytes_moved / PEAK_HBM_BYTES) * 1e6
    return {"shape": name, "m": m, "n": n, "k": k, "plan": blockfp8.plan(m, n, k), "default": True,
            "us": us, "tflops": flops / us * 1e-6, "gbps": bytes_moved / us * 1e-3,
            "peer": "torch._scaled_mm", "peer_us": peer_us, "speedup": peer_us / us if peer_us else None,
            "roofline_frac": roofline_us / us, "rel_diff_to_peer": agreement}


def run_context():
    def sh(*cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip() or "unknown"
        except OSError:
            return "unknown"
    # A copy of the tree without its own .git (the GPU machine's) names the commit in the env.
    commit = os.environ.get("BLOCKFP8_GIT_COMMIT") or sh("git", "rev-parse", "--short", "HEAD")
    return {"commit": commit, "gpu": torch.cuda.get_device_name(),
            "driver": sh("nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"),
            "torch": torch.__version__, "date": datetime.datetime.now(datetime.timezone.utc).isoformat()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--m", type=int, nargs="+", default=[1, 16, 128, 1024, 4096], help="M values of the grid")
    parser.add_argument("--json", help="also write the rows to this file (bench/results format)")
    args = parser.parse_args()
    if not torch.cuda.is_available():
        raise SystemExit("blockfp8.bench needs a CUDA GPU")
    context = run_context()
    print(f"{context['gpu']}, driver {context['driver']}, torch {context['torch']}, commit {context['commit']}")

    print("\nhost overhead per call (M=1, N=K=1024):")
    overhead = overhead_rows()
    for name, us in overhead:
        print(f"  {us:7.2f} us  {name}")

    print(f"\n{'shape':<16}{'M':>6}{'N':>7}{'K':>7}{'us':>9}{'TFLOP/s':>9}{'GB/s':>8}{'roofline':>9}"
          f"{'scaled_mm us':>13}{'speedup':>8}  plan")
    rows = []
    for name, (n, k) in QWEN3_8B.items():
        for m in args.m:
            r = grid_row(f"Qwen3-8B {name}", m, n, k)
            rows.append(r)
            peer = f"{r['peer_us']:13.2f}{r['speedup']:8.2f}" if r["peer_us"] else f"{'refused':>13}{'-':>8}"
            print(f"{r['shape']:<16}{m:>6}{n:>7}{k:>7}{r['us']:9.2f}{r['tflops']:9.1f}{r['gbps']:8.0f}"
                  f"{r['roofline_frac']:9.2f}{peer}  {r['plan']}")
    if args.json:
        with open(args.json, "w") as f:
            command = " ".join(["python -m blockfp8.bench"] + [shlex.quote(a) for a in sys.argv[1:]])
            json.dump({"kind": "gemm", "command": command, **context,
                       "overhead_us": dict(overhead), "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
