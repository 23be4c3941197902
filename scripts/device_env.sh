# Sourced by the device-run scripts (tests/engine_gpu/device_run.sh, bench/e2e_device_run.sh)
# from the repository root on the GPU machine, which lacks some of what the engine builds
# with. Carry these ignored folders to it:
#   .debs/             Debian packages of PCRE2 and utf8proc (the tokenizer), unpacked here
#   .tokenizer/        the Qwen3 tokenizer files that synthetic checkpoints copy
#   .cudnn-frontend/   optional: include/ of PyPI's nvidia-cudnn-frontend (the header-only
#                      cuDNN frontend; the folder inside must be named include/, its headers
#                      include ../include/...); cuDNN itself comes from PyTorch's nvidia-cudnn
#                      wheel on that machine. Without it the prefill attention is our kernel.
# Sets the environment and BLOCKFP8_CMAKE_ARGS (an array) for the configure step.
root=$PWD
mkdir -p .debs/root && for f in .debs/*.deb; do dpkg -x "$f" .debs/root; done
export PKG_CONFIG_SYSROOT_DIR=$root/.debs/root PKG_CONFIG_LIBDIR=$root/.debs/root/usr/lib/x86_64-linux-gnu/pkgconfig
export LD_LIBRARY_PATH=$root/.debs/root/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
export BLOCKFP8_TOKENIZER_DIR=$root/.tokenizer BLOCKFP8_CACHE=${BLOCKFP8_CACHE:-/tmp/blockfp8-cache}
BLOCKFP8_CMAKE_ARGS=(${BLOCKFP8_GIT_COMMIT:+-DBLOCKFP8_GIT_COMMIT=$BLOCKFP8_GIT_COMMIT})
cudnn_dir=$(python3 -c "import nvidia.cudnn as m; print(m.__path__[0])" 2>/dev/null)
if [[ -d .cudnn-frontend/include && -n $cudnn_dir && -f $cudnn_dir/lib/libcudnn.so.9 ]]; then
  BLOCKFP8_CMAKE_ARGS+=(-DBLOCKFP8_CUDNN_FRONTEND_INCLUDE_DIR=$root/.cudnn-frontend/include)
  [[ -f $cudnn_dir/include/cudnn.h ]] && BLOCKFP8_CMAKE_ARGS+=(-DBLOCKFP8_CUDNN_INCLUDE_DIR=$cudnn_dir/include)
  export BLOCKFP8_CUDNN_LIBRARY=$cudnn_dir/lib/libcudnn.so.9 LD_LIBRARY_PATH=$cudnn_dir/lib:$LD_LIBRARY_PATH
fi
