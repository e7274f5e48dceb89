#include "vox/live/streaming_vad.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <mutex>

#include "vox/onnx/model_paths.h"
#include "vox/onnx/onnx_session.h"
#include "vox/vad/silero_vad.h"

namespace vox::live {

namespace {

constexpr int kStateSize = 2 * 1 * 128;
constexpr double kRate = 16000.0;

std::size_t samples_of_ms(int ms) { return std::size_t(kRate * ms / 1000.0); }

// One session per model file for the whole process: ORT sessions are thread-safe for run(), and
// every live session keeps its own recurrent state.
Result<std::shared_ptr<const OnnxSession>> shared_silero(const Config& config) {
  std::string path = default_silero_model_path();
  const std::string dir = models_dir(config);
  std::error_code ec;
  if (!dir.empty() && std::filesystem::is_regular_file(dir + "/silero_vad.onnx", ec)) path = dir + "/silero_vad.onnx";

  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const OnnxSession>> loaded;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = loaded.find(path); it != loaded.end()) return it->second;
  auto session = OnnxSession::load(path, onnx_options_from(config.engines));
  if (!session) return session.error();
  for (const char* in : {"input", "state", "sr"})
    if (!(*session)->input(in))
      return Error(ErrorCode::kUnavailable, path + " is not a Silero VAD v5 model: no input '" + in + "'");
  for (const char* out : {"output", "stateN"})
    if (!(*session)->output(out))
      return Error(ErrorCode::kUnavailable, path + " is not a Silero VAD v5 model: no output '" + out + "'");
  std::shared_ptr<const OnnxSession> shared(std::move(*session));
  loaded.emplace(path, shared);
  return shared;
}

}  // namespace

Status validate_vad_options(const VadOptions& options) {
  if (!(options.threshold > 0.f && options.threshold < 1.f))
    return Error(ErrorCode::kInvalidArgument, "VAD threshold must lie in (0, 1)", "threshold");
  if (options.silence_duration_ms < 0)
    return Error(ErrorCode::kInvalidArgument, "silence_duration_ms must not be negative", "silence_duration_ms");
  if (options.prefix_padding_ms < 0)
    return Error(ErrorCode::kInvalidArgument, "prefix_padding_ms must not be negative", "prefix_padding_ms");
  if (options.min_speech_ms < 0)
    return Error(ErrorCode::kInvalidArgument, "min_speech_ms must not be negative", "min_speech_ms");
  return Status::Ok();
}

void TurnDetector::set_options(const VadOptions& options) {
  options_ = options;
  neg_threshold_ = std::max(options.threshold - 0.15f, 0.01f);
}

void TurnDetector::reset() {
  triggered_ = false;
  confirmed_ = false;
  temp_end_.reset();
}

std::optional<VadTransition> TurnDetector::push(float p, std::size_t begin, std::size_t window) {
  const std::size_t end = begin + window;
  if (!triggered_) {
    if (p < options_.threshold) return std::nullopt;
    triggered_ = true;
    confirmed_ = false;
    start_ = begin;
    temp_end_.reset();
  } else if (p >= options_.threshold) {
    temp_end_.reset();  // the pause was too short
  } else if (p < neg_threshold_) {
    if (!temp_end_) temp_end_ = begin;
    if (end - *temp_end_ >= samples_of_ms(options_.silence_duration_ms)) {
      const bool was_confirmed = confirmed_;
      const std::size_t stop = *temp_end_;
      reset();
      if (was_confirmed) return VadTransition{VadTransition::Kind::kStop, stop, end};
      return std::nullopt;  // shorter than min_speech_ms: a blip, never reported
    }
    return std::nullopt;
  }
  if (!confirmed_ && !temp_end_ && end - start_ >= samples_of_ms(options_.min_speech_ms)) {
    confirmed_ = true;
    return VadTransition{VadTransition::Kind::kStart, start_, end};
  }
  return std::nullopt;
}

Result<std::unique_ptr<StreamingVad>> StreamingVad::create(const Config& config, const VadOptions& options) {
  if (Status st = validate_vad_options(options); !st) return st.error();
  auto session = shared_silero(config);
  if (!session) return session.error();
  return std::unique_ptr<StreamingVad>(new StreamingVad(std::move(*session), options));
}

StreamingVad::StreamingVad(std::shared_ptr<const OnnxSession> session, const VadOptions& options)
    : session_(std::move(session)),
      detector_(options),
      input_(kSileroContext + kSileroWindow, 0.f),
      state_(kStateSize, 0.f) {}

StreamingVad::~StreamingVad() = default;

Result<float> StreamingVad::run_window() {
  static const std::array<std::int64_t, 1> sr = {16000};
  static const std::vector<std::string> outputs = {"output", "stateN"};
  const std::array<InputTensor, 3> in = {
      InputTensor::floats("input", {1, kSileroContext + kSileroWindow}, input_),
      InputTensor::floats("state", {2, 1, 128}, state_),
      InputTensor::int64s("sr", {}, sr),
  };
  auto out = session_->run(in, outputs);
  if (!out) return out.error();
  if ((*out)[0].f32.size() != 1 || (*out)[1].f32.size() != kStateSize)
    return Error(ErrorCode::kInternal, "silero VAD returned tensors of unexpected size");
  state_ = std::move((*out)[1].f32);
  return (*out)[0].f32[0];
}

Result<std::vector<VadTransition>> StreamingVad::feed(std::span<const float> samples) {
  std::vector<VadTransition> transitions;
  std::size_t used = 0;
  while (used < samples.size()) {
    const std::size_t take = std::min(samples.size() - used, std::size_t(kSileroWindow) - pending_.size());
    pending_.insert(pending_.end(), samples.begin() + std::ptrdiff_t(used), samples.begin() + std::ptrdiff_t(used + take));
    used += take;
    if (pending_.size() < std::size_t(kSileroWindow)) break;
    // Slide: the last 64 samples of the previous input become this one's context.
    std::copy(input_.end() - kSileroContext, input_.end(), input_.begin());
    std::copy(pending_.begin(), pending_.end(), input_.begin() + kSileroContext);
    pending_.clear();
    auto p = run_window();
    if (!p) return p.error();
    const std::size_t begin = judged_;
    judged_ += kSileroWindow;
    if (auto t = detector_.push(*p, begin, kSileroWindow)) transitions.push_back(*t);
  }
  return transitions;
}

}  // namespace vox::live
