#include "vox/asr/neural_recognizer.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "vox/models/manifest.h"

namespace vox::asr {

std::string resolved_models_dir(const Config& config) {
  if (!config.engines.models_dir.empty()) return config.engines.models_dir;
  Config resolved = config;
  resolved.resolve_defaults();
  return resolved.engines.models_dir;
}

std::string engine_model_dir(const Config& config, const std::string& explicit_dir, const std::string& engine) {
  if (!explicit_dir.empty()) return explicit_dir;
  const std::string base = resolved_models_dir(config);
  std::error_code ec;
  const std::string conventional = base + "/" + engine;
  if (std::filesystem::is_directory(conventional, ec)) return conventional;
  for (const auto& m : models::builtin_manifest())
    if (m.engine == engine && models::is_installed(m, base)) return models::install_dir(m, base);
  return conventional;
}

OnnxOptions neural_onnx_options(const Config& config) {
  OnnxOptions options = onnx_options_from(config.engines);
  Config resolved = config;
  resolved.resolve_defaults();
  options.intra_threads = resolved.engines.effective_asr_batch() > 1 ? std::max(1, resolved.engines.threads) : 1;
  return options;
}

void log_model_event(const std::string& engine, const std::string& message) {
  std::fprintf(stderr, "%s\n", nlohmann::json{{"level", "info"}, {"engine", engine}, {"message", message}}.dump().c_str());
}

std::string onnx_file(const std::string& dir, const std::string& stem) {
  const std::string plain = dir + "/" + stem + ".onnx", int8 = dir + "/" + stem + ".int8.onnx";
  std::error_code ec;
  if (!std::filesystem::exists(plain, ec) && std::filesystem::exists(int8, ec)) return int8;
  return plain;
}

namespace {

// One batch -> one result per chunk; a failed Run fails every chunk of it.
MicroBatcher<ChunkResult>::RunFn spread(BatchedRecognizer::RunFn run) {
  return [run = std::move(run)](const std::vector<std::span<const float>>& chunks) {
    std::vector<Result<ChunkResult>> out;
    auto r = run(chunks);
    for (std::size_t i = 0; i < chunks.size(); ++i) {
      if (!r) out.emplace_back(r.error());
      else if (i < r->size()) out.emplace_back(std::move((*r)[i]));
      else out.emplace_back(Error(ErrorCode::kInternal, "recogniser returned too few results"));
    }
    return out;
  };
}

}  // namespace

BatchedRecognizer::BatchedRecognizer(std::string name, const EngineConfig& engines, RunFn run, bool writes_text)
    : name_(std::move(name)),
      // Enough chunks in flight for every worker thread to fill a batch.
      parallelism_(std::max(1, engines.threads) * engines.effective_asr_batch()),
      writes_text_(writes_text),
      batcher_(engines.effective_asr_batch(), std::chrono::milliseconds(engines.asr_batch_wait_ms),
               spread(std::move(run))) {}

Result<ChunkResult> BatchedRecognizer::recognize(const AudioChunk& chunk, const RecognizeOptions& options,
                                                 const CancelToken& cancel) {
  if (cancel.cancelled()) return Error(ErrorCode::kCancelled, "transcription cancelled");
  const std::string language = options.language.empty() ? "en" : options.language;
  if (chunk.samples.empty()) return ChunkResult{{}, language, 0.0};
  auto r = batcher_.submit(chunk.samples);
  if (!r) return r.error();
  r->language = language;
  return r;
}

}  // namespace vox::asr
