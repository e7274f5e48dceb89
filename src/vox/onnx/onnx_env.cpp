#include "vox/onnx/onnx_env.h"

#include <cstdint>
#include <exception>
#include <mutex>
#include <string>

namespace vox {

OnnxOptions onnx_options_from(const EngineConfig& engines) {
  OnnxOptions options;
  options.provider = engines.provider.empty() ? "cpu" : engines.provider;
  options.gpu_mem_limit = engines.gpu_mem_limit;
  options.device_id = engines.gpu_device;
  options.cudnn_conv_algo_search = engines.cudnn_conv_algo_search;
  return options;
}

namespace onnx_detail {

Result<Ort::Env*> shared_env() {
  static std::once_flag once;
  // Never destroyed: sessions owned by other static objects may outlive any exit-time order,
  // and ORT needs its environment for as long as a session exists.
  static Ort::Env* env = nullptr;
  static std::string failure;
  std::call_once(once, [] {
    try {
      // Errors only: ORT's warnings (e.g. nodes placed on CPU under CUDA) are expected noise.
      env = new Ort::Env(ORT_LOGGING_LEVEL_ERROR, "vox");
    } catch (const std::exception& e) {
      failure = e.what();
    }
  });
  if (!env) return Error(ErrorCode::kUnavailable, "ONNX Runtime failed to initialise: " + failure);
  return env;
}

Ort::SessionOptions make_session_options(const OnnxOptions& options) {
  Ort::SessionOptions so;
  so.SetIntraOpNumThreads(options.intra_threads > 0 ? options.intra_threads : 1);
  so.SetInterOpNumThreads(1);
  so.SetExecutionMode(ExecutionMode::ORT_SEQUENTIAL);
  so.SetGraphOptimizationLevel(GraphOptimizationLevel::ORT_ENABLE_ALL);
  // Idle ORT worker threads must not spin: the machine's cores belong to concurrent requests.
  so.AddConfigEntry("session.intra_op.allow_spinning", "0");
  so.AddConfigEntry("session.inter_op.allow_spinning", "0");
  if (options.provider == "cuda") {
    // The V1 options struct on purpose: the CPU-built core library of the npm package loads the
    // CUDA provider library through it, while the V2 options API exists only in CUDA builds.
    OrtCUDAProviderOptions cuda{};
    cuda.device_id = options.device_id;
    // Grow the arena by what is asked for, not by powers of two, so gpu_mem_limit holds.
    cuda.arena_extend_strategy = 1;  // kSameAsRequested
    cuda.gpu_mem_limit = options.gpu_mem_limit > 0 ? std::size_t(options.gpu_mem_limit) : SIZE_MAX;
    cuda.cudnn_conv_algo_search = options.cudnn_conv_algo_search == "EXHAUSTIVE" ? OrtCudnnConvAlgoSearchExhaustive
                                  : options.cudnn_conv_algo_search == "DEFAULT"  ? OrtCudnnConvAlgoSearchDefault
                                                                                 : OrtCudnnConvAlgoSearchHeuristic;
    cuda.do_copy_in_default_stream = 1;
    so.AppendExecutionProvider_CUDA(cuda);
  }
  return so;
}

}  // namespace onnx_detail
}  // namespace vox
