#!/usr/bin/env bash
# Run 313 (9e77b4b, the code of 3f719db: ring_early): the Python package on the GPU, the steps of
# python/tests/gpu_run.sh after its build, with the extension (Python 3.12) and
# blockfp8_cpp_linear built on the development machine and carried (scratch/py313): pytest,
# `python -m blockfp8.bench`, memcheck of the GPU tests gpu_run.sh runs under it.
set -uo pipefail
mkdir -p scratch/b && tar xf scratch/py313.txz -C scratch/b; P=$PWD/scratch/b/py313; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
export BLOCKFP8_CPP_LINEAR=$P/blockfp8_cpp_linear PYTHONPATH=$PWD/python:$P
python3 -c "import sys, torch; print('python', sys.version.split()[0], 'torch', torch.__version__)"
timeout 150 python3 -m pytest -q -rs python/tests > $R/pytest.log 2>&1; echo "pytest rc $? t=$SECONDS: $(tail -1 $R/pytest.log)"; pack
BLOCKFP8_GIT_COMMIT=9e77b4b timeout 150 python3 -m blockfp8.bench --json $R/bench.json > $R/bench.log 2>&1; echo "bench rc $? t=$SECONDS"; tail -25 $R/bench.log; pack
timeout 150 compute-sanitizer --tool memcheck --error-exitcode 9 python3 -m pytest -q -x python/tests/test_gpu.py -k "bit_identical or equals_quantize or leading" > $R/sanitizer.log 2>&1
echo "sanitizer rc $? t=$SECONDS: $(grep -E 'ERROR SUMMARY|passed|failed' $R/sanitizer.log | tail -2 | tr '\n' ' ')"; pack
