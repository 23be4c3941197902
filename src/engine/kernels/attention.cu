// Host side of the attention entry points: check, plan, launch.
#include <cmath>
#include <cstdio>
#include <mutex>
#include <string>

#include "engine/kernels/attention.h"
#include "engine/kernels/attention_checks.h"
#include "engine/kernels/attention_kernels.cuh"
#include "engine/kernels/attention_plan.h"
#include "kernels/launchers.h"
#include "kernels/per_device_once.h"
#ifdef BLOCKFP8_HAVE_CUDNN_ATTENTION
#include "engine/kernels/attention_cudnn.h"
#endif

namespace blockfp8::engine {

namespace {

using blockfp8::detail::check_cuda;

// The kernels use bf16 mma.sync and cp.async (sm_80+); they are built for sm_89/sm_90 like
// the library's sm89 family.
const DeviceInfo& attention_device() {
  const DeviceInfo& device = DeviceInfo::query();
  if (device.compute_capability() < 89)
    throw Error(ErrorCode::kUnsupportedDevice,
                "attention: " + device.name + " (compute capability " + std::to_string(device.compute_capability()) +
                    ") is not supported; the kernels are built for 8.9 and 9.0");
  return device;
}

template <int D>
void launch_attention(detail::AttentionKernelParams params, const AttentionPlan& plan, int kv_heads,
                      cudaStream_t stream) {
  using Smem = detail::AttentionSmem<D>;
  // Above 48 KB of dynamic shared memory a kernel must opt in, once per device.
  static blockfp8::detail::PerDeviceOnce smem_opt_in;
  smem_opt_in(blockfp8::detail::PerDeviceOnce::current_device(), [] {
    check_cuda(cudaFuncSetAttribute(detail::attention_kernel<D>, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                    Smem::kBytes),
               "cudaFuncSetAttribute(attention_kernel)");
  });
  params.scale_log2 = static_cast<float>(1.4426950408889634 / std::sqrt(static_cast<double>(D)));
  params.splits = plan.splits;
  const dim3 grid(plan.row_tiles, kv_heads, plan.splits);
  detail::attention_kernel<D><<<grid, detail::kAttentionThreads, Smem::kBytes, stream>>>(params);
  check_cuda(cudaGetLastError(), "attention_kernel launch");
  if (plan.splits > 1) {
    const int out_rows = params.t * params.heads;
    detail::attention_combine_kernel<D>
        <<<out_rows, D / 4, 0, stream>>>(params.partial_o, params.partial_lse, params.out, out_rows, plan.splits);
    check_cuda(cudaGetLastError(), "attention_combine_kernel launch");
  }
}

void launch(const detail::AttentionKernelParams& params, const AttentionPlan& plan, const AttentionShape& shape,
            cudaStream_t stream) {
  if (shape.head_dim == 64)
    launch_attention<64>(params, plan, shape.kv_heads, stream);
  else
    launch_attention<128>(params, plan, shape.kv_heads, stream);
}

detail::AttentionKernelParams common_params(const AttentionShape& shape, const KvCache& cache, void* workspace,
                                            int t, const AttentionPlan& plan) {
  detail::AttentionKernelParams p;
  p.k_cache = cache.k;
  p.v_cache = cache.v;
  p.heads = shape.heads;
  p.group = shape.group();
  p.capacity = shape.capacity;
  p.t = t;
  if (plan.splits > 1) {
    p.partial_o = static_cast<float*>(workspace);
    p.partial_lse = p.partial_o + static_cast<size_t>(plan.splits) * t * shape.heads * shape.head_dim;
  }
  return p;
}

std::string cudnn_version_string() {
#ifdef BLOCKFP8_HAVE_CUDNN_ATTENTION
  const int v = cudnn_attention_version();
  return std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." + std::to_string(v % 100);
#else
  return "(not built)";
#endif
}

// cuDNN could not run a kAuto prefill: said once per process (the call runs on our kernel).
void note_auto_fallback(const std::string& why_not) {
  static std::once_flag noted;
  std::call_once(noted, [&] {
    std::fprintf(stderr, "[blockfp8] attention_prefill: cuDNN not used, our kernel runs instead: %s\n", why_not.c_str());
  });
}

// Runs the prefill on cuDNN when args.backend picks it (see AttentionBackend); false: run our
// kernel.
bool prefill_on_cudnn(const AttentionPrefillArgs& args, int num_sms, cudaStream_t stream) {
  if (args.backend == AttentionBackend::kOwn) return false;
  const bool automatic = args.backend == AttentionBackend::kAuto;
  if (automatic && args.t < cudnn_prefill_min_tokens(args.shape, num_sms)) return false;
#ifdef BLOCKFP8_HAVE_CUDNN_ATTENTION
  std::string why_not;
  if (cudnn_attention_prefill(args, stream, &why_not)) return true;
#else
  (void)stream;
  const std::string why_not = attention_cudnn_unavailable_reason();
#endif
  if (!automatic) throw Error(ErrorCode::kUnsupportedDevice, "attention_prefill: backend kCudnn: " + why_not);
  note_auto_fallback(why_not);
  return false;
}

}  // namespace

std::string attention_cudnn_unavailable_reason() {
#ifdef BLOCKFP8_HAVE_CUDNN_ATTENTION
  return cudnn_attention_unavailable_reason();
#else
  return "built without cuDNN attention (cudnn_frontend.h or cudnn.h not found at configure time)";
#endif
}

std::string describe_prefill_attention(const AttentionShape& shape, AttentionBackend backend) {
  check_attention_shape("describe_prefill_attention", shape);
  const std::string own = "our FA2-style kernel";
  if (backend == AttentionBackend::kOwn) return own;
  const std::string unavailable = attention_cudnn_unavailable_reason();
  if (backend == AttentionBackend::kCudnn) {
    if (!unavailable.empty()) throw Error(ErrorCode::kUnsupportedDevice, "attention backend cudnn: " + unavailable);
    return "cuDNN " + cudnn_version_string() + " fused attention";
  }
  if (!unavailable.empty()) return own + " (cuDNN unavailable: " + unavailable + ")";
  const int min_tokens = cudnn_prefill_min_tokens(shape, attention_device().num_sms);
  return "cuDNN " + cudnn_version_string() + " fused attention from " + std::to_string(min_tokens) +
         " tokens, " + own + " below";
}

void append_kv(const KvAppendArgs& args, cudaStream_t stream) {
  check_append_args(args);
  if (args.t == 0) return;
  attention_device();
  const AttentionShape& s = args.shape;
  const int64_t row_stride = args.row_stride ? args.row_stride : static_cast<int64_t>(s.kv_heads) * s.head_dim;
  detail::append_kv_kernel<<<args.t, 128, 0, stream>>>(args.k, args.v, row_stride, args.cache.k, args.cache.v,
                                                       s.kv_heads, s.head_dim, s.capacity, args.t, args.start,
                                                       args.seq_len);
  check_cuda(cudaGetLastError(), "append_kv_kernel launch");
}

void attention_prefill(const AttentionPrefillArgs& args, cudaStream_t stream) {
  check_prefill_args(args);
  if (args.t == 0) return;
  const DeviceInfo& device = attention_device();
  AttentionPlan plan = plan_attention(args.shape, args.t, args.start + args.t, device.num_sms);
  if (args.workspace == nullptr) plan = AttentionPlan{plan.rows, plan.row_tiles, 1, 0};  // no split without one
  check_workspace("attention_prefill", args.workspace, args.workspace_bytes, plan.workspace_bytes);
  if (prefill_on_cudnn(args, device.num_sms, stream)) return;
  detail::AttentionKernelParams p = common_params(args.shape, args.cache, args.workspace, args.t, plan);
  p.q = args.q;
  p.q_row_stride = args.q_row_stride ? args.q_row_stride : static_cast<int64_t>(args.shape.heads) * args.shape.head_dim;
  p.out = args.out;
  p.start = args.start;
  launch(p, plan, args.shape, stream);
}

void attention_decode(const AttentionDecodeArgs& args, cudaStream_t stream) {
  check_decode_args(args);
  const DeviceInfo& device = attention_device();
  // Planned for a full cache: the split count must not depend on the length, which only
  // the device knows (the kernel cuts each split's range from *seq_len when it runs).
  const AttentionPlan plan = plan_attention(args.shape, 1, args.shape.capacity, device.num_sms);
  check_workspace("attention_decode", args.workspace, args.workspace_bytes, plan.workspace_bytes);
  detail::AttentionKernelParams p = common_params(args.shape, args.cache, args.workspace, 1, plan);
  p.q = args.q;
  p.q_row_stride = static_cast<int64_t>(args.shape.heads) * args.shape.head_dim;
  p.out = args.out;
  p.seq_len = args.seq_len;
  launch(p, plan, args.shape, stream);
}

}  // namespace blockfp8::engine
