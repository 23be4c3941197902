"""Argument checks of the public ops (docs/design.md §1). Every message names the argument
and the rule it broke.

The metadata checks (type, dtype, device, shape, strides) read only tensor metadata, so
they also run on the fake tensors of torch.compile; the memory checks (alignment, storage
extent) need real storage and run where the kernels are launched.
"""

import torch

GROUP = 128  # columns per activation scale; rows and columns per weight scale
FP8 = torch.float8_e4m3fn


def mmajor_ld(m):
    """Leading dimension of an M-major scale tensor: M padded to a multiple of 4 (16 bytes,
    as TMA wants every column aligned)."""
    return (m + 3) // 4 * 4


def tensor(t, name, dtype, ndim=None, hint=""):
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor (got {type(t).__name__})")
    if t.dtype != dtype:
        raise TypeError(f"{name} must be {dtype} (got {t.dtype}){hint}")
    if ndim is not None and t.dim() != ndim:
        raise ValueError(f"{name} must be {ndim}-D (got shape {tuple(t.shape)})")


def one_cuda_device(**tensors):
    """Checked last, so that the other checks also run on CPU tensors (CI has no GPU)."""
    names = list(tensors)
    first, device = names[0], tensors[names[0]].device
    if device.type != "cuda":
        raise ValueError(f"{first} must be on a CUDA device (got {device})")
    for name in names[1:]:
        other = tensors[name].device
        if other != device:
            raise ValueError(f"{name} is on {other} but {first} is on {device}: all arguments must be on one device")


def row_major(t, name):
    if not t.is_contiguous():
        raise ValueError(f"{name} must be contiguous row-major (got strides {t.stride()} for shape "
                         f"{tuple(t.shape)}); call .contiguous() first")


def k_dim(k, name):
    if k <= 0 or k % GROUP != 0:
        raise ValueError(f"{name} must be a positive multiple of {GROUP} (got {k})")


def n_dim(n, name):
    if n <= 0 or n % 16 != 0:
        raise ValueError(f"{name} must be a positive multiple of 16 (got {n})")


def shape(t, name, expected, rule):
    if tuple(t.shape) != tuple(expected):
        raise ValueError(f"{name} must have shape {tuple(expected)} ({rule}); got {tuple(t.shape)}")


def weight_scales(b_scales, name, n, k):
    tensor(b_scales, name, torch.float32, ndim=2,
           hint="; checkpoints that store weight_scale_inv in bf16/fp16 convert it once at load time "
                "with .float() (exact)")
    shape(b_scales, name, ((n + GROUP - 1) // GROUP, k // GROUP), "[ceil(N/128), K/128]")
    row_major(b_scales, name)


def activation_scale_layout(a_scales, m, k):
    """Whether a_scales [M, K/128] is M-major (True) or K-major (False), from its strides.

    K-major: row-major [M, K/128]. M-major: column-major with the leading dimension padded
    to a multiple of 4, as quantize(scale_layout="m-major") returns it. Size-1 dimensions
    have no meaningful stride and are not looked at."""
    groups = k // GROUP
    s_m, s_g = a_scales.stride()
    if m == 0 or ((m == 1 or s_m == groups) and (groups == 1 or s_g == 1)):
        return False
    if (m == 1 or s_m == 1) and (groups == 1 or s_g == mmajor_ld(m)):
        return True
    raise ValueError(
        f"a_scales must be K-major (strides ({groups}, 1)) or M-major with the rows padded to a multiple "
        f"of 4 (strides (1, {mmajor_ld(m)})), as quantize() returns them; got strides {a_scales.stride()}")


def aligned(t, name):
    if t.numel() and t.data_ptr() % 16 != 0:
        raise ValueError(f"{name} must start at a 16-byte aligned address (got {t.data_ptr():#x}); "
                         f"a sliced view can break this: call .clone() first")


def scale_extent(a_scales, m, k, m_major):
    """The library reads the padding of an M-major scale tensor: it must exist."""
    count = (mmajor_ld(m) if m_major else m) * (k // GROUP)
    available = a_scales.untyped_storage().nbytes() // 4 - a_scales.storage_offset()
    if m and available < count:
        raise ValueError(f"a_scales must own {count} floats from its first element ({'M-major, padded' if m_major else 'K-major'}); "
                         f"its storage holds {available}: allocate it as quantize() does")


def gemm_args(a, a_scales, b, b_scales, out):
    """Checks gemm's arguments; returns (m, n, k, a_scales_m_major)."""
    tensor(a, "a", FP8, ndim=2)
    tensor(b, "b", FP8, ndim=2)
    m, k = a.shape
    n = b.shape[0]
    k_dim(k, "a.shape[1] (K)")
    n_dim(n, "b.shape[0] (N)")
    if b.shape[1] != k:
        raise ValueError(f"b.shape[1] must equal a.shape[1] = K = {k} (got {b.shape[1]})")
    row_major(a, "a")
    row_major(b, "b")
    tensor(a_scales, "a_scales", torch.float32, ndim=2)
    shape(a_scales, "a_scales", (m, k // GROUP), "[M, K/128]")
    m_major = activation_scale_layout(a_scales, m, k)
    weight_scales(b_scales, "b_scales", n, k)
    named = dict(a=a, a_scales=a_scales, b=b, b_scales=b_scales)
    if out is not None:
        tensor(out, "out", torch.bfloat16, ndim=2)
        shape(out, "out", (m, n), "[M, N]")
        row_major(out, "out")
        named["out"] = out
    one_cuda_device(**named)
    return m, n, k, m_major


def linear_args(x, weight, weight_scale_inv):
    """Checks linear's arguments; returns (n, k)."""
    tensor(x, "x", torch.bfloat16)
    if x.dim() < 1:
        raise ValueError("x must have at least one dimension [..., K]")
    tensor(weight, "weight", FP8, ndim=2)
    n, k = weight.shape
    k_dim(k, "weight.shape[1] (K)")
    n_dim(n, "weight.shape[0] (N)")
    if x.shape[-1] != k:
        raise ValueError(f"x.shape[-1] must equal weight.shape[1] = K = {k} (got {x.shape[-1]})")
    row_major(x, "x")
    row_major(weight, "weight")
    weight_scales(weight_scale_inv, "weight_scale_inv", n, k)
    one_cuda_device(x=x, weight=weight, weight_scale_inv=weight_scale_inv)
    return n, k


def quantize_args(x, group, scale_layout):
    """Checks quantize's arguments; returns whether the scales are M-major."""
    if group != GROUP:
        raise ValueError(f"group must be {GROUP}: the kernels use one scale per 128 columns (got {group})")
    if scale_layout not in ("k-major", "m-major"):
        raise ValueError(f'scale_layout must be "k-major" or "m-major" (got {scale_layout!r})')
    tensor(x, "x", torch.bfloat16, ndim=2)
    k_dim(x.shape[1], "x.shape[1] (K)")
    row_major(x, "x")
    one_cuda_device(x=x)
    return scale_layout == "m-major"
