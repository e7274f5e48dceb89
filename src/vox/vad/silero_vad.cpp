#include "vox/vad/silero_vad.h"

#include <algorithm>
#include <array>
#include <filesystem>

#include "vox/onnx/model_paths.h"

namespace vox {

namespace {

constexpr int kStateSize = 2 * 1 * 128;
constexpr int kCancelEvery = 64;  // windows (~2 s of audio) between cancel polls / progress

class SileroVad : public VoiceActivityDetector {
 public:
  explicit SileroVad(std::unique_ptr<OnnxSession> session) : session_(std::move(session)) {}

  std::string name() const override { return "silero"; }

  Result<std::vector<SpeechRegion>> detect(std::span<const float> samples, const VadOptions& options,
                                           const ProgressFn& progress, const CancelToken& cancel) override {
    if (!(options.threshold > 0.f && options.threshold < 1.f))
      return Error(ErrorCode::kInvalidArgument, "VAD threshold must lie in (0, 1)", "threshold");
    if (options.silence_duration_ms < 0 || options.prefix_padding_ms < 0 || options.min_speech_ms < 0)
      return Error(ErrorCode::kInvalidArgument, "VAD durations must not be negative");
    auto probs = probabilities(samples, progress, cancel);
    if (!probs) return probs.error();
    report(progress, "vad", 1.0);
    return speech_regions_from_probabilities(*probs, samples.size(), options);
  }

 private:
  // One probability per 512-sample window. The recurrent state and the 64-sample context live on
  // this call's stack, so concurrent detect() calls share the one session safely.
  Result<std::vector<float>> probabilities(std::span<const float> samples, const ProgressFn& progress,
                                           const CancelToken& cancel) const {
    const std::size_t windows = (samples.size() + kSileroWindow - 1) / kSileroWindow;
    std::vector<float> probs;
    probs.reserve(windows);
    std::vector<float> input(kSileroContext + kSileroWindow, 0.f);
    std::vector<float> state(kStateSize, 0.f);
    const std::array<std::int64_t, 1> sr = {16000};
    const std::vector<std::string> outputs = {"output", "stateN"};
    for (std::size_t w = 0; w < windows; ++w) {
      if (w % kCancelEvery == 0) {
        if (cancel.cancelled()) return Error(ErrorCode::kCancelled, "voice activity detection cancelled");
        report(progress, "vad", double(w) / double(windows));
      }
      // Slide: the last 64 samples of the previous input become this one's context.
      std::copy(input.end() - kSileroContext, input.end(), input.begin());
      const std::size_t begin = w * kSileroWindow;
      const std::size_t n = std::min<std::size_t>(kSileroWindow, samples.size() - begin);
      std::copy_n(samples.begin() + std::ptrdiff_t(begin), n, input.begin() + kSileroContext);
      std::fill(input.begin() + kSileroContext + std::ptrdiff_t(n), input.end(), 0.f);  // zero-pad the tail
      const std::array<InputTensor, 3> in = {
          InputTensor::floats("input", {1, kSileroContext + kSileroWindow}, input),
          InputTensor::floats("state", {2, 1, 128}, state),
          InputTensor::int64s("sr", {}, sr),
      };
      auto out = session_->run(in, outputs);
      if (!out) return out.error();
      if ((*out)[0].f32.size() != 1 || (*out)[1].f32.size() != kStateSize)
        return Error(ErrorCode::kInternal, "silero VAD returned tensors of unexpected size");
      probs.push_back((*out)[0].f32[0]);
      state = std::move((*out)[1].f32);
    }
    return probs;
  }

  std::unique_ptr<OnnxSession> session_;
};

Status check_silero_layout(const OnnxSession& s) {
  for (const char* in : {"input", "state", "sr"})
    if (!s.input(in))
      return Error(ErrorCode::kUnavailable, s.path() + " is not a Silero VAD v5 model: no input '" + in + "'");
  for (const char* out : {"output", "stateN"})
    if (!s.output(out))
      return Error(ErrorCode::kUnavailable, s.path() + " is not a Silero VAD v5 model: no output '" + out + "'");
  if (s.input("sr")->type != TensorType::kInt64 || s.input("input")->type != TensorType::kFloat)
    return Error(ErrorCode::kUnavailable, s.path() + " is not a Silero VAD v5 model: unexpected input types");
  return Status::Ok();
}

}  // namespace

std::vector<SpeechRegion> speech_regions_from_probabilities(std::span<const float> probabilities,
                                                            std::size_t num_samples, const VadOptions& options) {
  const double sr = 16000.0;
  const float threshold = options.threshold;
  const float neg_threshold = std::max(threshold - 0.15f, 0.01f);
  const std::size_t min_speech = std::size_t(sr * options.min_speech_ms / 1000.0);
  const std::size_t min_silence = std::size_t(sr * options.silence_duration_ms / 1000.0);
  const std::size_t pad = std::size_t(sr * options.prefix_padding_ms / 1000.0);

  struct Span { std::size_t start, end; };
  std::vector<Span> speech;
  bool triggered = false;
  std::size_t start = 0, temp_end = 0;
  bool have_temp_end = false;
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    const float p = probabilities[i];
    const std::size_t pos = i * kSileroWindow;
    if (p >= threshold && have_temp_end) have_temp_end = false;  // the pause was too short
    if (p >= threshold && !triggered) {
      triggered = true;
      start = pos;
      continue;
    }
    if (p < neg_threshold && triggered) {
      if (!have_temp_end) {
        temp_end = pos;
        have_temp_end = true;
      }
      if (pos - temp_end < min_silence) continue;
      if (temp_end - start > min_speech) speech.push_back({start, temp_end});
      triggered = false;
      have_temp_end = false;
    }
  }
  if (triggered && num_samples > start && num_samples - start > min_speech) speech.push_back({start, num_samples});

  // Padding: a full pad where there is room, half the gap where two regions are close.
  for (std::size_t i = 0; i < speech.size(); ++i) {
    if (i == 0) speech[i].start = speech[i].start > pad ? speech[i].start - pad : 0;
    if (i + 1 < speech.size()) {
      const std::size_t gap = speech[i + 1].start - speech[i].end;
      if (gap < 2 * pad) {
        speech[i].end += gap / 2;
        speech[i + 1].start -= gap / 2;
      } else {
        speech[i].end = std::min(num_samples, speech[i].end + pad);
        speech[i + 1].start -= pad;
      }
    } else {
      speech[i].end = std::min(num_samples, speech[i].end + pad);
    }
  }
  std::vector<SpeechRegion> regions;
  regions.reserve(speech.size());
  for (const auto& s : speech) regions.push_back({double(s.start) / sr, double(s.end) / sr});
  return regions;
}

Result<std::unique_ptr<VoiceActivityDetector>> make_silero_vad_from(const std::string& model_path,
                                                                    const OnnxOptions& options) {
  auto session = OnnxSession::load(model_path, options);
  if (!session) return session.error();
  if (auto st = check_silero_layout(**session); !st) return st.error();
  return std::unique_ptr<VoiceActivityDetector>(new SileroVad(std::move(*session)));
}

Result<std::unique_ptr<VoiceActivityDetector>> make_silero_vad(const Config& config) {
  std::string path = default_silero_model_path();
  const std::string dir = models_dir(config);
  std::error_code ec;
  if (!dir.empty() && std::filesystem::is_regular_file(dir + "/silero_vad.onnx", ec)) path = dir + "/silero_vad.onnx";
  return make_silero_vad_from(path, onnx_options_from(config.engines));
}

}  // namespace vox
