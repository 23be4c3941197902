"""The public ops: quantize, gemm, linear on torch tensors, on the current CUDA stream.

Each op is also a torch.library custom op (blockfp8::quantize, blockfp8::gemm,
blockfp8::gemm_out, blockfp8::linear) with a fake implementation, so torch.compile traces
it as one node and CUDA-graph capture records its launches. In plain eager mode the public
functions call the extension directly: the dispatcher round trip of a Python custom op
costs more than the launch itself at decode sizes (python -m blockfp8.bench measures both).
"""

import torch

from . import _checks
from ._ext import gemm as _ext_gemm
from ._ext import plan as _ext_plan
from ._ext import quantize_activations as _ext_quantize

_FP8 = _checks.FP8
_GROUP = _checks.GROUP


def _current_stream(device_index):
    # The raw cudaStream_t of torch's current stream, the call Inductor's generated code
    # makes; torch.cuda.current_stream() would build a Stream object on every call.
    return torch._C._cuda_getCurrentRawStream(device_index)


def _direct_call_ok(x):
    """True outside any tracing (torch.compile, export, make_fx, fake or functional
    tensors), where calling the extension directly is what the custom op would do anyway."""
    return (not torch.compiler.is_compiling() and type(x) is torch.Tensor
            and torch._C._len_torch_dispatch_stack() == 0)


# --- allocation shared by the real and the fake implementations ------------------------

def _quantize_outputs(x2d, m_major):
    """q [M,K] e4m3 and the scale storage: [M, K/128] (K-major) or [K/128, ld(M)] (M-major)."""
    m, k = x2d.shape
    q = torch.empty((m, k), dtype=_FP8, device=x2d.device)
    rows = (k // _GROUP, _checks.mmajor_ld(m)) if m_major else (m, k // _GROUP)
    return q, torch.empty(rows, dtype=torch.float32, device=x2d.device)


def _scales_view(storage, m, m_major):
    """[M, K/128] view of the scale storage (M-major: strides (1, ld))."""
    return storage[:, :m].t() if m_major else storage


def _gemm_output(a, b):
    return torch.empty((a.shape[0], b.shape[0]), dtype=torch.bfloat16, device=a.device)


# --- launches on real tensors (arguments already checked) -------------------------------

def _launch_quantize(x2d, q, scale_storage, m_major):
    m, k = x2d.shape
    _checks.aligned(x2d, "x")
    index = x2d.device.index
    _ext_quantize(x2d.data_ptr(), q.data_ptr(), scale_storage.data_ptr(), m, k, m_major, index,
                  _current_stream(index))


def _launch_gemm(a, a_scales, b, b_scales, out, m, n, k, m_major):
    for t, name in ((a, "a"), (a_scales, "a_scales"), (b, "b"), (b_scales, "b_scales"), (out, "out")):
        _checks.aligned(t, name)
    _checks.scale_extent(a_scales, m, k, m_major)
    index = a.device.index
    _ext_gemm(a.data_ptr(), a_scales.data_ptr(), m_major, b.data_ptr(), b_scales.data_ptr(), out.data_ptr(),
              m, n, k, index, _current_stream(index))


def _linear(x, weight, weight_scale_inv):
    n, k = weight.shape
    x2d = x.reshape(-1, k)
    m = x2d.shape[0]
    out = torch.empty((*x.shape[:-1], n), dtype=torch.bfloat16, device=x.device)
    if m == 0:
        return out
    _checks.aligned(weight, "weight")
    _checks.aligned(weight_scale_inv, "weight_scale_inv")
    # M-major scales: the layout the sm90 kernels load with TMA.
    q, scale_storage = _quantize_outputs(x2d, m_major=True)
    _launch_quantize(x2d, q, scale_storage, m_major=True)
    index = x.device.index
    _ext_gemm(q.data_ptr(), scale_storage.data_ptr(), True, weight.data_ptr(), weight_scale_inv.data_ptr(),
              out.data_ptr(), m, n, k, index, _current_stream(index))
    return out


# --- custom ops (what torch.compile and other tracers see) ------------------------------

@torch.library.custom_op("blockfp8::quantize", mutates_args=(), device_types="cuda")
def _quantize_op(x: torch.Tensor, m_major: bool) -> tuple[torch.Tensor, torch.Tensor]:
    _checks.quantize_args(x, _GROUP, "m-major" if m_major else "k-major")
    q, scale_storage = _quantize_outputs(x, m_major)
    _launch_quantize(x, q, scale_storage, m_major)
    return q, scale_storage


@_quantize_op.register_fake
def _(x, m_major):
    return _quantize_outputs(x, m_major)


@torch.library.custom_op("blockfp8::gemm", mutates_args=(), device_types="cuda")
def _gemm_op(a: torch.Tensor, a_scales: torch.Tensor, b: torch.Tensor, b_scales: torch.Tensor) -> torch.Tensor:
    shape = _checks.gemm_args(a, a_scales, b, b_scales, None)
    out = _gemm_output(a, b)
    _launch_gemm(a, a_scales, b, b_scales, out, *shape)
    return out


@_gemm_op.register_fake
def _(a, a_scales, b, b_scales):
    return _gemm_output(a, b)


@torch.library.custom_op("blockfp8::gemm_out", mutates_args=("out",), device_types="cuda")
def _gemm_out_op(a: torch.Tensor, a_scales: torch.Tensor, b: torch.Tensor, b_scales: torch.Tensor,
                 out: torch.Tensor) -> None:
    _launch_gemm(a, a_scales, b, b_scales, out, *_checks.gemm_args(a, a_scales, b, b_scales, out))


@_gemm_out_op.register_fake
def _(a, a_scales, b, b_scales, out):
    return None


@torch.library.custom_op("blockfp8::linear", mutates_args=(), device_types="cuda")
def _linear_op(x: torch.Tensor, weight: torch.Tensor, weight_scale_inv: torch.Tensor) -> torch.Tensor:
    _checks.linear_args(x, weight, weight_scale_inv)
    return _linear(x, weight, weight_scale_inv)


@_linear_op.register_fake
def _(x, weight, weight_scale_inv):
    return x.new_empty((*x.shape[:-1], weight.shape[0]))


# --- public API --------------------------------------------------------------------------

def quantize(x, group=128, scale_layout="k-major"):
    """bf16 x [M, K] -> (q e4m3 [M, K], scales fp32 [M, K/128]), one scale per row per 128
    columns: s = max(amax, 1e-10) / 448, q = e4m3(x / s) (docs/design.md §1).

    scale_layout "k-major" gives row-major scales; "m-major" gives a column-major view
    (strides (1, ld), ld = M rounded up to a multiple of 4) over padded storage, the layout
    the Hopper kernels load fastest. gemm() accepts either.
    """
    m_major = _checks.quantize_args(x, group, scale_layout)
    if _direct_call_ok(x):
        q, scale_storage = _quantize_outputs(x, m_major)
        _launch_quantize(x, q, scale_storage, m_major)
    else:
        q, scale_storage = torch.ops.blockfp8.quantize(x, m_major)
    return q, _scales_view(scale_storage, x.shape[0], m_major)


def gemm(a, a_scales, b, b_scales, out=None):
    """C [M, N] bf16 = A [M, K] · B [N, K]ᵀ with block scales (docs/design.md §1):
    a e4m3 [M, K] with a_scales fp32 [M, K/128] (as quantize() returns them, either layout),
    b e4m3 [N, K] with b_scales fp32 [ceil(N/128), K/128] (a checkpoint's weight and
    weight_scale_inv). Writes into out (bf16 [M, N]) when given and returns it.
    """
    shape = _checks.gemm_args(a, a_scales, b, b_scales, out)
    if _direct_call_ok(a):
        if out is None:
            out = _gemm_output(a, b)
        _launch_gemm(a, a_scales, b, b_scales, out, *shape)
        return out
    if out is None:
        return torch.ops.blockfp8.gemm(a, a_scales, b, b_scales)
    torch.ops.blockfp8.gemm_out(a, a_scales, b, b_scales, out)
    return out


def linear(x, weight, weight_scale_inv):
    """y [..., N] bf16 = x [..., K] bf16 · Wᵀ with W = weight e4m3 [N, K] scaled per 128x128
    block by weight_scale_inv fp32 [ceil(N/128), K/128] (Hugging Face FP8 checkpoint
    layout): quantize + gemm, the activations quantized per row per 128 columns."""
    _checks.linear_args(x, weight, weight_scale_inv)
    if _direct_call_ok(x):
        return _linear(x, weight, weight_scale_inv)
    return torch.ops.blockfp8.linear(x, weight, weight_scale_inv)


def plan(m, n, k, device=None):
    """The kernel plan gemm() runs for an [M, K] x [N, K] problem on a device, as text."""
    index = torch.cuda.current_device() if device is None else torch.device("cuda", device).index
    return _ext_plan(m, n, k, index)
