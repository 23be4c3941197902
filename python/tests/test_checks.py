"""Argument checks of the blockfp8 package on CPU tensors: they run in CI, where there is
no GPU. Every rule of docs/design.md §1 the Python layer enforces is exercised here, and
each message must name the argument."""

import pytest

torch = pytest.importorskip("torch", reason="torch is not installed (scripts/setup.sh installs it under CI=1)")
blockfp8 = pytest.importorskip("blockfp8")

from blockfp8 import _checks, _ext  # noqa: E402
from blockfp8.compat import w8a8_block_fp8_linear, w8a8_block_fp8_matmul  # noqa: E402

FP8 = torch.float8_e4m3fn
BF16 = torch.bfloat16


def fp8(*shape):
    return torch.zeros(shape, dtype=FP8)


def scales(*shape):
    return torch.ones(shape, dtype=torch.float32)


def mmajor_scales(m, groups):
    return torch.ones(groups, _checks.mmajor_ld(m))[:, :m].t()


def test_ops_are_registered_for_torch_compile():
    for name in ("quantize", "gemm", "gemm_out", "linear"):
        assert hasattr(torch.ops.blockfp8, name), name


# --- quantize ---------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, error, match", [
    (dict(x=torch.zeros(4, 256)), TypeError, "x must be torch.bfloat16"),
    (dict(x=torch.zeros(4, 256, dtype=BF16), group=64), ValueError, "group must be 128"),
    (dict(x=torch.zeros(4, 256, dtype=BF16), scale_layout="row"), ValueError, "scale_layout"),
    (dict(x=torch.zeros(4, 200, dtype=BF16)), ValueError, r"x.shape\[1\] \(K\) must be a positive multiple of 128"),
    (dict(x=torch.zeros(256, dtype=BF16)), ValueError, "x must be 2-D"),
    (dict(x=torch.zeros(256, 4, dtype=BF16).t()), ValueError, "x must be contiguous"),
    (dict(x=torch.zeros(4, 256, dtype=BF16)), ValueError, "x must be on a CUDA device"),
    (dict(x=[[1.0]]), TypeError, "x must be a torch.Tensor"),
])
def test_quantize_rejects(kwargs, error, match):
    with pytest.raises(error, match=match):
        blockfp8.quantize(**kwargs)


# --- gemm ---------------------------------------------------------------------------------

def gemm_args(m=4, n=256, k=512):
    return dict(a=fp8(m, k), a_scales=scales(m, k // 128), b=fp8(n, k), b_scales=scales((n + 127) // 128, k // 128))


@pytest.mark.parametrize("change, error, match", [
    (dict(a=torch.zeros(4, 512, dtype=BF16)), TypeError, "a must be torch.float8_e4m3fn"),
    (dict(b=torch.zeros(256, 512, dtype=torch.int8)), TypeError, "b must be torch.float8_e4m3fn"),
    (dict(a=fp8(4, 500), a_scales=scales(4, 4)), ValueError, r"a.shape\[1\] \(K\) must be a positive multiple of 128"),
    (dict(b=fp8(100, 512), b_scales=scales(1, 4)), ValueError, r"b.shape\[0\] \(N\) must be a positive multiple of 16"),
    (dict(b=fp8(256, 384), b_scales=scales(2, 3)), ValueError, r"b.shape\[1\] must equal a.shape\[1\]"),
    (dict(a=fp8(512, 4).t()), ValueError, "a must be contiguous"),
    (dict(a_scales=scales(4, 3)), ValueError, r"a_scales must have shape \(4, 4\)"),
    (dict(a_scales=torch.ones(4, 4, dtype=torch.float64)), TypeError, "a_scales must be torch.float32"),
    (dict(a_scales=torch.ones(4, 5)[:, :4]), ValueError, "a_scales must be K-major .* or M-major"),
    (dict(b_scales=scales(2, 4).to(BF16)), TypeError, r"b_scales must be torch.float32 .*\.float\(\)"),
    (dict(b_scales=scales(3, 4)), ValueError, r"b_scales must have shape \(2, 4\)"),
    (dict(b_scales=scales(4, 2).t()), ValueError, "b_scales must be contiguous"),
    (dict(out=torch.zeros(4, 256)), TypeError, "out must be torch.bfloat16"),
    (dict(out=torch.zeros(4, 128, dtype=BF16)), ValueError, r"out must have shape \(4, 256\)"),
    (dict(), ValueError, "a must be on a CUDA device"),
])
def test_gemm_rejects(change, error, match):
    args = gemm_args()
    args.update(change)
    with pytest.raises(error, match=match):
        blockfp8.gemm(**args)


def test_gemm_accepts_partial_last_weight_block_before_the_device_check():
    # N = 272: ceil(272/128) = 3 scale rows; everything but the device is valid.
    with pytest.raises(ValueError, match="a must be on a CUDA device"):
        blockfp8.gemm(**gemm_args(n=272))


# --- activation scale layouts --------------------------------------------------------------

@pytest.mark.parametrize("m, groups", [(1, 1), (1, 4), (3, 1), (5, 4), (64, 8)])
def test_scale_layout_is_read_from_strides(m, groups):
    k = groups * 128
    assert _checks.activation_scale_layout(scales(m, groups), m, k) is False
    m_major = mmajor_scales(m, groups)
    # With one group both layouts address the same floats, and K-major is reported.
    assert _checks.activation_scale_layout(m_major, m, k) is (groups > 1)


def test_mmajor_scales_without_their_padding_are_refused():
    m, groups = 5, 4
    short = torch.empty_strided((m, groups), (1, _checks.mmajor_ld(m)), dtype=torch.float32)
    with pytest.raises(ValueError, match="a_scales must own 32 floats"):
        _checks.scale_extent(short, m, groups * 128, m_major=True)
    _checks.scale_extent(mmajor_scales(m, groups), m, groups * 128, m_major=True)


def test_misaligned_view_is_refused():
    base = torch.zeros(4 * 128 + 1, dtype=FP8)
    with pytest.raises(ValueError, match="a must start at a 16-byte aligned address"):
        _checks.aligned(base[1:].view(4, 128), "a")
    _checks.aligned(base[:512].view(4, 128), "a")


# --- linear ---------------------------------------------------------------------------------

@pytest.mark.parametrize("change, error, match", [
    (dict(x=torch.zeros(4, 512, dtype=torch.float16)), TypeError, "x must be torch.bfloat16"),
    (dict(x=torch.zeros(4, 384, dtype=BF16)), ValueError, r"x.shape\[-1\] must equal weight.shape\[1\]"),
    (dict(weight=torch.zeros(256, 512, dtype=BF16)), TypeError, "weight must be torch.float8_e4m3fn"),
    (dict(weight_scale_inv=scales(2, 4).to(torch.float16)), TypeError, r"weight_scale_inv must be torch.float32"),
    (dict(weight_scale_inv=scales(2, 4)[None]), ValueError, "weight_scale_inv must be 2-D"),
    (dict(x=torch.zeros(512, 4, dtype=BF16).t()), ValueError, "x must be contiguous"),
    (dict(), ValueError, "x must be on a CUDA device"),
])
def test_linear_rejects(change, error, match):
    args = dict(x=torch.zeros(2, 3, 512, dtype=BF16), weight=fp8(256, 512), weight_scale_inv=scales(2, 4))
    args.update(change)
    with pytest.raises(error, match=match):
        blockfp8.linear(**args)


# --- SGLang-compatible shim -------------------------------------------------------------------

def test_sglang_matmul_rejects_what_blockfp8_cannot_run():
    a = gemm_args()
    call = dict(A=a["a"], B=a["b"], As=a["a_scales"], Bs=a["b_scales"], block_size=[128, 128],
                output_dtype=BF16)
    with pytest.raises(ValueError, match=r"block_size must be \[128, 128\]"):
        w8a8_block_fp8_matmul(**{**call, "block_size": [64, 64]})
    with pytest.raises(TypeError, match="output_dtype must be torch.bfloat16"):
        w8a8_block_fp8_matmul(**{**call, "output_dtype": torch.float16})
    with pytest.raises(ValueError, match=r"As must have shape"):
        w8a8_block_fp8_matmul(**{**call, "As": scales(4, 3)})
    with pytest.raises(ValueError, match="a must be on a CUDA device"):
        w8a8_block_fp8_matmul(**call)


def test_sglang_linear_rejects_prequantized_input():
    with pytest.raises(ValueError, match="input_scale must be None"):
        w8a8_block_fp8_linear(torch.zeros(4, 512, dtype=BF16), fp8(256, 512), [128, 128], scales(2, 4),
                              input_scale=scales(4, 4))


# --- the C++ library's own checks, translated to Python exceptions ----------------------------

def test_library_errors_become_value_errors():
    # Valid-looking addresses (never dereferenced: validation fails first), N = 100.
    with pytest.raises(ValueError, match=r"blockfp8: shape.n must be a positive multiple of 16 \(got 100\)"):
        _ext.gemm(4096, 4096, True, 4096, 4096, 4096, 4, 100, 128, 0, 0)
    with pytest.raises(ValueError, match="blockfp8: a must be 16-byte aligned"):
        _ext.gemm(4097, 4096, True, 4096, 4096, 4096, 4, 128, 128, 0, 0)
