"""The Python package returns the C++ library's bits: for the same inputs, blockfp8.quantize
and blockfp8.linear equal what blockfp8_cpp_linear (tests/cpp_linear.cpp, the C++ API
alone) writes, bit for bit. Needs the GPU and that program (CTest passes its path in
BLOCKFP8_CPP_LINEAR)."""

import os
import subprocess

import pytest

torch = pytest.importorskip("torch", reason="torch is not installed (scripts/setup.sh installs it under CI=1)")
blockfp8 = pytest.importorskip("blockfp8")

from gpu_utils import random_activations, random_weight, requires_gpu  # noqa: E402

CPP_LINEAR = os.environ.get("BLOCKFP8_CPP_LINEAR", "")

pytestmark = [
    requires_gpu,
    pytest.mark.skipif(not os.path.isfile(CPP_LINEAR),
                       reason="BLOCKFP8_CPP_LINEAR does not name the blockfp8_cpp_linear program (run through ctest)"),
]


def read(path, dtype, shape):
    return torch.frombuffer(bytearray(open(path, "rb").read()), dtype=dtype).view(shape)


@pytest.mark.parametrize("m, n, k", [(1, 4096, 1024), (2, 272, 128), (65, 2048, 2048), (129, 6144, 1024),
                                     (1000, 1024, 3072)])
def test_python_and_cpp_give_the_same_bits(m, n, k, tmp_path):
    gen = torch.Generator().manual_seed(m * 7 + n)
    x = random_activations((m, k), gen)
    w, sw = random_weight(n, k, gen)
    x.cpu().view(torch.uint8).numpy().tofile(tmp_path / "x.bin")
    w.cpu().view(torch.uint8).numpy().tofile(tmp_path / "w.bin")
    sw.cpu().numpy().tofile(tmp_path / "sb.bin")
    run = subprocess.run([CPP_LINEAR, str(tmp_path), str(m), str(n), str(k)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr

    q, s = blockfp8.quantize(x, scale_layout="m-major")
    ld = (m + 3) // 4 * 4
    q_cpp = read(tmp_path / "q.bin", torch.uint8, (m, k))
    s_cpp = read(tmp_path / "sa.bin", torch.float32, (k // 128, ld))[:, :m].t()
    c_cpp = read(tmp_path / "c.bin", torch.bfloat16, (m, n))
    assert torch.equal(q.cpu().view(torch.uint8), q_cpp)
    assert torch.equal(s.cpu(), s_cpp)
    assert torch.equal(blockfp8.linear(x, w, sw).cpu().view(torch.int16), c_cpp.view(torch.int16)), run.stdout
