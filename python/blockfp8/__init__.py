"""blockfp8: block-scaled FP8 GEMM (e4m3, 1x128 activation and 128x128 weight scales) for
PyTorch on Hopper (sm_90a) and Ada (sm_89).

    q, s = blockfp8.quantize(x)                       # bf16 -> e4m3 + fp32 1x128 scales
    y = blockfp8.gemm(q, s, weight, weight_scale_inv) # bf16 [M, N]
    y = blockfp8.linear(x, weight, weight_scale_inv)  # both in one call

Errors: TypeError for a wrong type or dtype, ValueError for a shape, stride, alignment or
device the contract (docs/design.md §1) does not allow, RuntimeError for a GPU the
kernels cannot run on or a CUDA failure. See docs/python.md.
"""

import pkgutil

# torch first: it loads the CUDA runtime (libcudart.so.13) that the extension links to.
import torch  # noqa: F401

# In a build tree the extension lives in build/python/blockfp8/ beside no __init__.py;
# extend_path joins that folder to this package so `blockfp8._ext` is found there too.
__path__ = pkgutil.extend_path(__path__, __name__)

from .ops import gemm, linear, plan, quantize  # noqa: E402

__all__ = ["quantize", "gemm", "linear", "plan"]
