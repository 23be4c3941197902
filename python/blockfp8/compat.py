"""Drop-in replacements with SGLang's argument order and semantics (docs/python.md).

SGLang's block-FP8 linear quantizes the activations with per_token_group_quant_fp8 and
then calls w8a8_block_fp8_matmul(A, B, As, Bs, block_size, output_dtype); its linear
entry points (and vLLM's older apply_w8a8_block_fp8_linear) take
(input, weight, block_size, weight_scale, input_scale=None, bias=None).
"""

import torch

from . import _checks
from .ops import gemm, linear

_BLOCK = [_checks.GROUP, _checks.GROUP]


def _block_size(block_size):
    if block_size is None or [int(v) for v in block_size] != _BLOCK:
        raise ValueError(f"block_size must be [128, 128]: blockfp8 runs 128x128 weight blocks and 1x128 "
                         f"activation groups only (got {block_size})")


def _bf16_output(output_dtype):
    if output_dtype != torch.bfloat16:
        raise TypeError(f"output_dtype must be torch.bfloat16: blockfp8 writes bf16 only (got {output_dtype}); "
                        "SGLang's default is float16, so pass output_dtype=torch.bfloat16")


def _activation_scales_2d(As, m, groups):
    """As [..., K/128] as a 2-D [M, K/128] tensor gemm() accepts: SGLang's row-major scales
    and its column-major, TMA-aligned ones pass as they are; any other strides are copied
    to row-major (correct, one extra small copy)."""
    if As.dim() != 2:
        As = As.reshape(m, groups)
    try:
        _checks.activation_scale_layout(As, m, groups * _checks.GROUP)
        return As
    except ValueError:
        return As.contiguous()


def w8a8_block_fp8_matmul(A, B, As, Bs, block_size, output_dtype=torch.float16):
    """SGLang's w8a8_block_fp8_matmul: A e4m3 [..., K], B e4m3 [N, K], As fp32 [..., K/128]
    (per token group), Bs fp32 [ceil(N/128), K/128]; returns [..., N] in output_dtype,
    which must be bfloat16."""
    _block_size(block_size)
    _bf16_output(output_dtype)
    _checks.tensor(A, "A", _checks.FP8)
    _checks.tensor(As, "As", torch.float32)
    k = A.shape[-1]
    groups = k // _checks.GROUP
    if tuple(As.shape) != (*A.shape[:-1], groups):
        raise ValueError(f"As must have shape A.shape[:-1] + (K/128,) = {(*A.shape[:-1], groups)} "
                         f"(got {tuple(As.shape)})")
    _checks.row_major(A, "A")
    a2d = A.reshape(-1, k)
    out = gemm(a2d, _activation_scales_2d(As, a2d.shape[0], groups), B, Bs)
    return out.reshape(*A.shape[:-1], B.shape[0])


def w8a8_block_fp8_linear(input, weight, block_size, weight_scale, input_scale=None, bias=None):
    """SGLang's *_w8a8_block_fp8_linear signature: bf16 input [..., K] -> bf16 [..., N],
    activations quantized here (input_scale must be None), bias added when given."""
    _block_size(block_size)
    if input_scale is not None:
        raise ValueError("input_scale must be None: blockfp8.linear quantizes the activations itself "
                         "(for pre-quantized input call w8a8_block_fp8_matmul)")
    out = linear(input, weight, weight_scale)
    return out if bias is None else out + bias
