"""Library peers of blockfp8's attention at the benchmark's shapes (docs/engine-attention.md).

PyTorch's scaled_dot_product_attention with one backend at a time: cuDNN's fused attention
(CUDNN_ATTENTION) and FlashAttention-2 (FLASH_ATTENTION), timed like attention_bench: decode
as a CUDA graph of back-to-back calls over rotated caches (cold KV), prefill per call.
Decode GQA is expressed exactly, without copying K/V: the `group` query heads of a kv head
become `group` query rows of one (batch, head) pair, attending to all L positions.
Usage: python3 sdpa_peer.py   (needs torch with CUDA)
"""
import math

import torch
from torch.nn.attention import SDPBackend, sdpa_kernel
import torch.nn.functional as F

HBM_PEAK = 3.35e12
BF16_PEAK = 989e12
BACKENDS = {"cudnn": SDPBackend.CUDNN_ATTENTION, "flash": SDPBackend.FLASH_ATTENTION}


def graph_time_us(fn, calls, replays=20):
    stream = torch.cuda.Stream()
    with torch.cuda.stream(stream):
        for i in range(calls):  # warm-up outside the graph (library handles, plans)
            fn(i)
    torch.cuda.synchronize()
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph, stream=stream):
        for i in range(calls):
            fn(i)
    times = []
    for _ in range(3):
        graph.replay()
    for _ in range(replays):
        begin, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        begin.record()
        graph.replay()
        end.record()
        end.synchronize()
        times.append(1e3 * begin.elapsed_time(end) / calls)
    return sorted(times)[len(times) // 2]


def decode(heads, kv_heads, d, length, l2_bytes):
    group = heads // kv_heads
    kv_bytes = 2 * kv_heads * length * d * 2
    layers = max(2, int(3 * l2_bytes / kv_bytes) + 1)
    caches = [(torch.rand(1, kv_heads, length, d, device="cuda", dtype=torch.bfloat16) * 2 - 1,
               torch.rand(1, kv_heads, length, d, device="cuda", dtype=torch.bfloat16) * 2 - 1)
              for _ in range(layers)]
    q = torch.randn(1, kv_heads, group, d, device="cuda", dtype=torch.bfloat16)
    calls = layers * max(1, math.ceil(64 / layers))
    for name, backend in BACKENDS.items():
        try:
            with sdpa_kernel(backend):
                us = graph_time_us(lambda i: F.scaled_dot_product_attention(q, *caches[i % layers]), calls)
            gbps = kv_bytes / (us * 1e-6) / 1e9
            print(f"peer {name:6s} decode   heads {heads:2d}/{kv_heads} d {d}  L {length:6d}  {us:9.2f} us  "
                  f"{gbps:7.1f} GB/s  {100 * gbps * 1e9 / HBM_PEAK:5.1f}% of HBM", flush=True)
        except RuntimeError as e:
            print(f"peer {name:6s} decode   heads {heads:2d}/{kv_heads} L {length}: refused ({str(e).splitlines()[0][:100]})")


def prefill(heads, kv_heads, d, t):
    q = torch.randn(1, heads, t, d, device="cuda", dtype=torch.bfloat16)
    k = torch.randn(1, kv_heads, t, d, device="cuda", dtype=torch.bfloat16)
    v = torch.randn(1, kv_heads, t, d, device="cuda", dtype=torch.bfloat16)
    # Expanded once outside the timing: these backends take equal head counts.
    k = k.repeat_interleave(heads // kv_heads, dim=1)
    v = v.repeat_interleave(heads // kv_heads, dim=1)
    flops = 4.0 * heads * d * 0.5 * t * (t + 1)
    for name, backend in BACKENDS.items():
        try:
            with sdpa_kernel(backend):
                us = graph_time_us(lambda i: F.scaled_dot_product_attention(q, k, v, is_causal=True), 4, replays=10)
            tflops = flops / (us * 1e-6) / 1e12
            print(f"peer {name:6s} prefill  heads {heads:2d}/{kv_heads} d {d}  T {t:6d}  {us:11.1f} us  "
                  f"{tflops:6.1f} TFLOP/s  {100 * tflops * 1e12 / BF16_PEAK:5.1f}% of dense bf16 peak", flush=True)
        except RuntimeError as e:
            print(f"peer {name:6s} prefill  heads {heads:2d}/{kv_heads} T {t}: refused ({str(e).splitlines()[0][:100]})")


def main():
    props = torch.cuda.get_device_properties(0)
    print(f"sdpa peers on {props.name}, torch {torch.__version__}, cuDNN {torch.backends.cudnn.version()}")
    l2_bytes = getattr(props, "L2_cache_size", 50 << 20)
    for heads in (32, 64):
        for length in (1024, 8192, 32768):
            decode(heads, 8, 128, length, l2_bytes)
    for heads in (32, 64):
        for t in (4096, 30720):
            prefill(heads, 8, 128, t)


if __name__ == "__main__":
    main()
