"""blockfp8 on the GPU: results against a float32 reference, layouts, batch shapes, the
SGLang shim, CUDA-graph capture and torch.compile. Skipped without an FP8-capable GPU."""

import pytest

torch = pytest.importorskip("torch", reason="torch is not installed (scripts/setup.sh installs it under CI=1)")
blockfp8 = pytest.importorskip("blockfp8")

from blockfp8.compat import w8a8_block_fp8_linear, w8a8_block_fp8_matmul  # noqa: E402
from gpu_utils import (assert_close_to_reference, gemm_reference, quantize_reference,  # noqa: E402
                       random_activations, random_weight, requires_gpu)

pytestmark = requires_gpu

SHAPES = [(1, 256, 128), (2, 272, 512), (63, 4096, 1024), (65, 1024, 2048), (129, 6144, 1024), (300, 2048, 384)]


@pytest.fixture
def gen():
    return torch.Generator().manual_seed(7)


@pytest.mark.parametrize("m, k", [(1, 128), (5, 384), (129, 2048)])
@pytest.mark.parametrize("layout", ["k-major", "m-major"])
def test_quantize_is_bit_identical_to_the_float32_reference(m, k, layout, gen):
    x = random_activations((m, k), gen)
    q, s = blockfp8.quantize(x, scale_layout=layout)
    q_ref, s_ref = quantize_reference(x)
    assert q.shape == (m, k) and s.shape == (m, k // 128)
    assert torch.equal(q.cpu().view(torch.uint8), q_ref.view(torch.uint8))
    assert torch.equal(s.cpu(), s_ref)


@pytest.mark.parametrize("m, n, k", SHAPES)
def test_gemm_is_within_the_error_bound_of_the_float32_reference(m, n, k, gen):
    x = random_activations((m, k), gen)
    w, sw = random_weight(n, k, gen)
    q, s = blockfp8.quantize(x, scale_layout="m-major")
    c = blockfp8.gemm(q, s, w, sw)
    ref, magnitude = gemm_reference(q, s, w, sw)
    assert c.dtype == torch.bfloat16 and c.shape == (m, n)
    assert_close_to_reference(c, ref, magnitude)


@pytest.mark.parametrize("m, n, k", SHAPES)
def test_linear_equals_quantize_then_gemm_in_either_scale_layout(m, n, k, gen):
    x = random_activations((m, k), gen)
    w, sw = random_weight(n, k, gen)
    y = blockfp8.linear(x, w, sw)
    for layout in ("m-major", "k-major"):
        q, s = blockfp8.quantize(x, scale_layout=layout)
        assert torch.equal(y, blockfp8.gemm(q, s, w, sw)), layout
    out = torch.full((m, n), float("nan"), dtype=torch.bfloat16, device="cuda")
    assert blockfp8.gemm(*blockfp8.quantize(x), w, sw, out=out) is out
    assert torch.equal(out, y)


def test_linear_keeps_leading_dimensions_and_handles_empty_batches(gen):
    w, sw = random_weight(512, 256, gen)
    x = random_activations((2, 3, 256), gen)
    y = blockfp8.linear(x, w, sw)
    assert y.shape == (2, 3, 512)
    assert torch.equal(y.view(6, 512), blockfp8.linear(x.view(6, 256), w, sw))
    assert blockfp8.linear(x[:0], w, sw).shape == (0, 3, 512)
    assert blockfp8.gemm(*blockfp8.quantize(x.view(6, 256)[:0]), w, sw).shape == (0, 512)


def test_misaligned_and_foreign_device_inputs_are_refused(gen):
    w, sw = random_weight(256, 256, gen)
    x = random_activations((4, 256), gen)
    q, s = blockfp8.quantize(x)
    misaligned = torch.empty(4 * 256 + 1, dtype=q.dtype, device="cuda")[1:].view(4, 256)
    with pytest.raises(ValueError, match="a must start at a 16-byte aligned address"):
        blockfp8.gemm(misaligned, s, w, sw)
    with pytest.raises(ValueError, match="b_scales is on cpu but a is on cuda"):
        blockfp8.gemm(q, s, w, sw.cpu())


def test_plan_refuses_a_shape_gemm_refuses():
    with pytest.raises(ValueError, match="shape.k must be a positive multiple of 128"):
        blockfp8.plan(4, 4096, 1000)
    with pytest.raises(ValueError, match="shape.m must be >= 1 to plan"):
        blockfp8.plan(0, 4096, 4096)


def test_sglang_shim_matches_gemm_for_both_of_its_scale_layouts(gen):
    m, n, k = 37, 768, 512
    x = random_activations((m, k), gen)
    w, sw = random_weight(n, k, gen)
    q, s = blockfp8.quantize(x, scale_layout="k-major")
    expected = blockfp8.gemm(q, s, w, sw)
    # Row-major As (per_token_group_quant_fp8's default), 3-D activations.
    got = w8a8_block_fp8_matmul(q.view(1, m, k), w, s.view(1, m, k // 128), sw, [128, 128], torch.bfloat16)
    assert torch.equal(got.view(m, n), expected)
    # Column-major As without TMA padding (M = 37 is not a multiple of 4): copied, same result.
    column_major = s.t().contiguous().t()
    assert torch.equal(w8a8_block_fp8_matmul(q, w, column_major, sw, [128, 128], torch.bfloat16), expected)
    bias = torch.randn(n, generator=gen).to(torch.bfloat16).cuda()
    got = w8a8_block_fp8_linear(x, w, [128, 128], sw, bias=bias)
    assert torch.equal(got, blockfp8.linear(x, w, sw) + bias)


def test_linear_replays_in_a_cuda_graph(gen):
    w, sw = random_weight(1024, 512, gen)
    x = random_activations((16, 512), gen)
    stream = torch.cuda.Stream()
    stream.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(stream):
        blockfp8.linear(x, w, sw)  # warm-up outside capture
    torch.cuda.current_stream().wait_stream(stream)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        y = blockfp8.linear(x, w, sw)
    for _ in range(2):
        x.copy_(random_activations((16, 512), gen))
        graph.replay()
        torch.cuda.synchronize()
        assert torch.equal(y, blockfp8.linear(x, w, sw))


@pytest.mark.parametrize("mode", ["default", "reduce-overhead"])
def test_linear_under_torch_compile(mode, gen):
    w, sw = random_weight(512, 256, gen)

    def mlp(x):
        return torch.relu(blockfp8.linear(x, w, sw)) * 2

    compiled = torch.compile(mlp, fullgraph=True, mode=mode)
    for m in (8, 8, 24):  # the second call replays; the third has a new shape
        x = random_activations((m, 256), gen)
        assert torch.equal(compiled(x), mlp(x)), m


def test_custom_ops_pass_torch_library_opcheck(gen):
    w, sw = random_weight(256, 256, gen)
    x = random_activations((8, 256), gen)
    q, s = blockfp8.quantize(x)
    checks = ("test_schema", "test_faketensor")
    # opcheck's test_schema perturbs every input with a multiplication, which torch 2.11 does
    # not implement for float8_e4m3fn tensors ("mul_cuda" not implemented): the ops taking
    # FP8 inputs get the fake-tensor check only (measured on H100).
    fp8_checks = ("test_faketensor",)
    torch.library.opcheck(torch.ops.blockfp8.linear.default, (x, w, sw), test_utils=fp8_checks)
    torch.library.opcheck(torch.ops.blockfp8.quantize.default, (x, True), test_utils=checks)
    torch.library.opcheck(torch.ops.blockfp8.gemm.default, (q, s, w, sw), test_utils=fp8_checks)
    out = torch.empty(8, 256, dtype=torch.bfloat16, device="cuda")
    torch.library.opcheck(torch.ops.blockfp8.gemm_out.default, (q, s, w, sw, out), test_utils=fp8_checks)
