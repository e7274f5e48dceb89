// Progress and cancellation for long engine calls. Engines report a fraction of their own stage;
// the pipeline scales stages onto the job's overall 0..1 progress.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string_view>

namespace vox {

// stage: decode | vad | asr | diarize | merge ; fraction: 0..1 within that stage.
using ProgressFn = std::function<void(std::string_view stage, double fraction)>;

// Shared flag set by whoever owns the work (client disconnect, DELETE /v1/jobs/{id}); engines poll
// it between chunks and return ErrorCode::kCancelled.
class CancelToken {
 public:
  CancelToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
  void cancel() const { flag_->store(true, std::memory_order_relaxed); }
  bool cancelled() const { return flag_->load(std::memory_order_relaxed) || (probe_ && probe_()); }
  // An extra condition polled by cancelled(), e.g. "is the HTTP client still connected".
  void set_probe(std::function<bool()> probe) { probe_ = std::move(probe); }

 private:
  std::shared_ptr<std::atomic<bool>> flag_;
  std::function<bool()> probe_;
};

inline void report(const ProgressFn& fn, std::string_view stage, double fraction) {
  if (fn) fn(stage, fraction);
}

}  // namespace vox
