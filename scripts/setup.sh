#!/usr/bin/env bash
# Installs what blockfp8 needs on a Debian/Ubuntu machine and builds it into ./build.
# The CUDA 13 toolkit (nvcc, cuBLASLt) must already be installed: it does not come from
# Debian's registry. A GPU is not needed to build or to run the CPU tests.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if command -v apt-get >/dev/null; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends \
    build-essential ninja-build git pkg-config python3-pip python3-dev \
    libgtest-dev nlohmann-json3-dev libcli11-dev libpcre2-dev libutf8proc-dev >/dev/null
fi
# Debian 12 and Ubuntu 24.04 mark their system Python "externally managed" (PEP 668), which
# makes a plain pip install fail there; pip versions without that check ignore this variable.
export PIP_BREAK_SYSTEM_PACKAGES=1
# CMake >= 3.28 knows nvcc 13's C++20 flag; Debian 12 ships 3.25. matplotlib draws the plots.
python3 -m pip install -q --disable-pip-version-check -r scripts/requirements.txt
# cudnn-frontend's C++ headers (include/ of the wheel) for the engine's cuDNN attention backend;
# its Python dependencies are not needed for that, hence --no-deps.
python3 -m pip install -q --disable-pip-version-check --no-deps nvidia-cudnn-frontend==1.32.0
# The Python package's tests need torch, a multi-GB download: CI (CI=true) installs the
# pinned version; elsewhere set BLOCKFP8_INSTALL_TORCH=1, or those tests skip with the reason.
if [ -n "${CI:-}${BLOCKFP8_INSTALL_TORCH:-}" ] && ! python3 -c "import torch" 2>/dev/null; then
  python3 -m pip install -q --disable-pip-version-check torch==2.11.0
fi

NVCC=${CUDACXX:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}
if [ ! -x "$NVCC" ]; then
  echo "error: nvcc not found: install the CUDA 13 toolkit (https://developer.nvidia.com/cuda-downloads)" >&2
  exit 1
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_COMPILER="$NVCC" \
  -DBLOCKFP8_PYTHON=ON -DPython_EXECUTABLE="$(python3 -c 'import sys; print(sys.executable)')"
cmake --build build -j"$(nproc)"
# The Python package (docs/python.md) from the build above: nothing is compiled twice.
python3 -m pip install -q --disable-pip-version-check --no-build-isolation --no-deps -Cbuild-dir=build .
if python3 -c "import torch" 2>/dev/null; then (cd / && python3 -c "import blockfp8"); fi
