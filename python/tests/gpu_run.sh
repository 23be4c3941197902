#!/usr/bin/env bash
# One device call for the Python package: build the extension, run the pytest suite (GPU
# tests included), `pip install .` into a scratch prefix, the benchmark, and the GPU tests
# once under compute-sanitizer. Logs go to $OUT (or ./gpu-out). Wheels that the machine
# lacks are taken from .whl/ (git-ignored through .git/info/exclude; carry it), made here by
#   python3 -m pip download --no-deps --only-binary=:all: -d .whl nanobind==2.9.2 \
#     scikit-build-core==0.11.6 pathspec==0.12.1 packaging==25.0
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-gpu-out}
mkdir -p "$OUT"
PY=$(command -v python3)
if ls .whl/*.whl >/dev/null 2>&1; then
  $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
  export PYTHONPATH=/tmp/site
fi
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$OUT/gpu.txt"
$PY -c "import sysconfig, torch; print('python', sysconfig.get_paths()['include'], 'torch', torch.__version__)"

step() { echo "=== $1 ($(date +%T))"; }
step build
rm -rf build-pygpu  # a build dir left by another tree's run can hold objects newer than these sources
cmake -S . -B build-pygpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DBLOCKFP8_PYTHON=ON -DPython_EXECUTABLE="$PY" \
  > "$OUT/configure.log" 2>&1 || { tail -30 "$OUT/configure.log"; exit 1; }
cmake --build build-pygpu -j16 --target _ext blockfp8_cpp_linear 2>&1 | tail -3

export BLOCKFP8_CPP_LINEAR=$PWD/build-pygpu/python/blockfp8_cpp_linear
TREE_PATH=$PWD/python:$PWD/build-pygpu/python:${PYTHONPATH:-}
step pytest
PYTHONPATH=$TREE_PATH $PY -m pytest -q -rs python/tests 2>&1 | tee "$OUT/pytest.log" | tail -25

step "pip install ."
$PY -m pip install -q --no-build-isolation --no-deps --target /tmp/bf8-installed -Cbuild-dir=build-pygpu . \
  > "$OUT/pip.log" 2>&1 && (cd / && PYTHONPATH=/tmp/bf8-installed:${PYTHONPATH:-} $PY -c \
  "import blockfp8; print('installed:', blockfp8.__file__, blockfp8.plan(1, 4096, 4096))") || tail -20 "$OUT/pip.log"

step bench
PYTHONPATH=$TREE_PATH $PY -m blockfp8.bench --json "$OUT/bench.json" 2>&1 | tee "$OUT/bench.log"

step compute-sanitizer
PYTHONPATH=$TREE_PATH timeout 100 compute-sanitizer --tool memcheck --error-exitcode 9 $PY -m pytest -q -x \
  python/tests/test_gpu.py -k "bit_identical or equals_quantize or leading" > "$OUT/sanitizer.log" 2>&1
echo "sanitizer exit $?"; grep -E "ERROR SUMMARY|passed|failed" "$OUT/sanitizer.log" | tail -3
step done
