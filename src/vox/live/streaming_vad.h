// Turn detection for live sessions: Silero VAD run window by window (512 samples, 32 ms) as the
// audio arrives, with the hysteresis of silero's get_speech_timestamps and OpenAI's server_vad:
// speech starts at the first window whose probability reaches `threshold`; it stops once the
// probability has stayed below threshold - 0.15 for silence_duration_ms. A start is reported
// only once min_speech_ms of it has been heard (blips never open a turn).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "vox/core/config.h"
#include "vox/core/error.h"
#include "vox/vad/vad.h"

namespace vox {

class OnnxSession;

namespace live {

struct VadTransition {
  enum class Kind { kStart, kStop };
  Kind kind = Kind::kStart;
  // kStart: the first sample of the first speech window (before any padding).
  // kStop:  the first sample of the silence that ended the turn.
  std::size_t sample = 0;
  // Where the decision was made: the end of the window that confirmed it (>= sample).
  std::size_t decided_at = 0;
};

// kInvalidArgument for a threshold outside (0, 1) or negative durations.
Status validate_vad_options(const VadOptions& options);

// The hysteresis alone, on one probability per window (unit-testable without the model).
class TurnDetector {
 public:
  explicit TurnDetector(const VadOptions& options) { set_options(options); }
  void set_options(const VadOptions& options);
  // The probability of the window [begin, begin + window). At most one transition per window.
  std::optional<VadTransition> push(float probability, std::size_t begin, std::size_t window);
  // Forgets a turn in progress (after clear() or a manual commit): the next speech starts anew.
  void reset();
  bool in_speech() const { return triggered_ && confirmed_; }

 private:
  VadOptions options_;
  float neg_threshold_ = 0.35f;
  bool triggered_ = false;
  bool confirmed_ = false;
  std::size_t start_ = 0;
  std::optional<std::size_t> temp_end_;
};

// Silero on a stream: keeps the model's recurrent state and the 64-sample context between calls.
class StreamingVad {
 public:
  // The Silero v5 model the engine config points at (loaded once per process and shared).
  static Result<std::unique_ptr<StreamingVad>> create(const Config& config, const VadOptions& options);
  ~StreamingVad();

  void set_options(const VadOptions& options) { detector_.set_options(options); }
  // Samples that follow the ones fed before; transitions in order, positions counted from the
  // first sample ever fed. Audio short of a whole window waits for the next call.
  Result<std::vector<VadTransition>> feed(std::span<const float> samples);
  // Position up to which windows have been judged (a multiple of 512).
  std::size_t judged() const { return judged_; }
  void reset_turn() { detector_.reset(); }
  bool in_speech() const { return detector_.in_speech(); }

 private:
  StreamingVad(std::shared_ptr<const OnnxSession> session, const VadOptions& options);
  Result<float> run_window();

  std::shared_ptr<const OnnxSession> session_;
  TurnDetector detector_;
  std::vector<float> input_;    // 64 context samples + one window
  std::vector<float> state_;    // 2 x 1 x 128
  std::vector<float> pending_;  // samples short of a window
  std::size_t judged_ = 0;
};

}  // namespace live
}  // namespace vox
