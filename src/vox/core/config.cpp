#include "vox/core/config.h"

#include <cstdlib>
#include <thread>

namespace vox {

namespace {
std::string home_dir() {
  const char* home = std::getenv("HOME");
  return home && *home ? home : "/tmp";
}
}  // namespace

void Config::resolve_defaults() {
  if (engines.threads <= 0) engines.threads = std::max(1u, std::thread::hardware_concurrency());
  if (limits.max_inflight <= 0) limits.max_inflight = 2 * engines.threads;
  if (server.http_threads <= 0) server.http_threads = std::max(8, 4 * engines.threads);
  if (data_dir.empty()) data_dir = home_dir() + "/.local/share/vox";
  if (engines.models_dir.empty()) engines.models_dir = data_dir + "/models";
}

Status Config::validate() const {
  if (server.port < 0 || server.port > 65535)
    return Error(ErrorCode::kInvalidArgument, "port must be 0..65535", "port");
  if (server.host.empty()) return Error(ErrorCode::kInvalidArgument, "host must not be empty", "host");
  if (engines.threads < 0 || engines.threads > 1024)
    return Error(ErrorCode::kInvalidArgument, "threads must be 0..1024", "threads");
  if (limits.max_upload_bytes == 0)
    return Error(ErrorCode::kInvalidArgument, "max upload size must be positive", "max_upload");
  if (!(limits.max_duration_s > 0)) return Error(ErrorCode::kInvalidArgument, "max duration must be positive", "max_duration");
  if (limits.max_chunk_s < 5 || limits.max_chunk_s > 120)
    return Error(ErrorCode::kInvalidArgument, "max chunk length must be 5..120 seconds", "max_chunk");
  if (limits.max_inflight < 0) return Error(ErrorCode::kInvalidArgument, "max in-flight must be >= 0", "max_inflight");
  if (limits.max_queue < 0) return Error(ErrorCode::kInvalidArgument, "max queue must be >= 0", "max_queue");
  if (engines.provider != "cpu" && engines.provider != "cuda")
    return Error(ErrorCode::kInvalidArgument, "provider must be cpu or cuda", "provider");
  if (!is_cudnn_conv_algo_search(engines.cudnn_conv_algo_search))
    return Error(ErrorCode::kInvalidArgument, "cudnn conv algo search must be HEURISTIC, EXHAUSTIVE or DEFAULT",
                 "cudnn_conv_algo_search");
  if (engines.gpu_device < 0) return Error(ErrorCode::kInvalidArgument, "GPU device must be >= 0", "gpu_device");
  if (engines.model_idle_ttl_s < 0)
    return Error(ErrorCode::kInvalidArgument, "model idle TTL must be >= 0", "model_idle_ttl");
  if (engines.asr_backend.empty()) return Error(ErrorCode::kInvalidArgument, "ASR backend must not be empty", "asr");
  return Status::Ok();
}

}  // namespace vox
