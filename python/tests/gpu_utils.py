"""Shared by the GPU tests: the skip rule, random inputs, and the float32 references."""

import pytest
import torch

FP8 = torch.float8_e4m3fn


def gpu_unavailable_reason():
    if not torch.cuda.is_available():
        return "no CUDA GPU visible to torch"
    if torch.cuda.get_device_capability() < (8, 9):
        return f"{torch.cuda.get_device_name()} has no FP8 tensor cores (needs compute capability >= 8.9)"
    return ""


requires_gpu = pytest.mark.skipif(bool(gpu_unavailable_reason()), reason=f"GPU test skipped: {gpu_unavailable_reason()}")


def random_weight(n, k, generator):
    """e4m3 weight [N, K] and fp32 weight_scale_inv [ceil(N/128), K/128] with varied scales."""
    w = (torch.randn(n, k, generator=generator) * 100).clamp(-448, 448).to(FP8)
    s = torch.rand((n + 127) // 128, k // 128, generator=generator) * 1e-2 + 1e-3
    return w.cuda(), s.cuda()


def random_activations(shape, generator):
    """bf16 activations with a few outliers, as real hidden states have."""
    x = torch.randn(shape, generator=generator) * 3
    x.view(-1)[:: 97] *= 40
    return x.to(torch.bfloat16).cuda()


def quantize_reference(x):
    """DESIGN §1 on the CPU in float32: s = max(amax, 1e-10)/448, q = e4m3(x/s) (the division
    is IEEE on the CPU; |x/s| <= 448, where torch's conversion and SATFINITE agree)."""
    m, k = x.shape
    groups = x.float().cpu().view(m, k // 128, 128)
    amax = groups.abs().amax(dim=-1)
    s = amax.clamp(min=1e-10) / 448.0
    q = (groups / s[..., None]).view(m, k).to(FP8)
    return q, s


def gemm_reference(q, sa, w, sw):
    """float32 DESIGN §1 GEMM on dequantized operands, and S = sum of |terms| per output
    (the scale of the accumulation error bound)."""
    a = q.float() * sa.float().repeat_interleave(128, dim=1)
    n, k = w.shape
    b = w.float() * sw.float().repeat_interleave(128, dim=0)[:n].repeat_interleave(128, dim=1)
    return a @ b.t(), a.abs() @ b.abs().t()


def assert_close_to_reference(c, ref, magnitude):
    """|c - ref| <= 2^-8 |ref| + 2^-10 S: bf16 rounding of the output plus the fp32
    accumulation error bound the C++ tests use (tests/test_gemm_gpu.cpp)."""
    err = (c.float() - ref).abs()
    bound = ref.abs() * 2.0**-8 + magnitude * 2.0**-10
    worst = (err / bound).max().item()
    assert not torch.isnan(c.float()).any()
    assert worst <= 1.0, f"worst error {worst:.3f}x the bound"
    return worst
