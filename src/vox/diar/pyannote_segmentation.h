// pyannote segmentation-3.0 (ONNX, as sherpa-onnx exports it) over a whole recording: 10 s
// windows every window_shift samples, each turned from powerset classes into per-speaker
// activity of that window's (local, unordered) speakers.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vox/core/error.h"
#include "vox/core/progress.h"
#include "vox/onnx/onnx_session.h"
#include "vox/vad/vad.h"

namespace vox::diar {

// Geometry from the model's metadata (all in samples at 16 kHz).
struct SegmentationGeometry {
  int window_size = 0;            // 160000
  int window_shift = 0;           // metadata window_shift, else window_size / 10
  int receptive_field_size = 0;   // 991: span of one output frame
  int receptive_field_shift = 0;  // 270: step between output frames
  int num_speakers = 0;           // 3 local speakers per window
  int powerset_max_classes = 0;   // 2 speakers at once at most
  int num_classes = 0;            // 7 = |{}, {1}, {2}, {3}, {1,2}, {1,3}, {2,3}|
};

// Powerset class -> the local speakers it contains, in pyannote's order: the empty set, then
// all sets of size 1, then size 2, ... each in lexicographic order.
std::vector<std::vector<int>> powerset_classes(int num_speakers, int max_set_size);

// One window's result: frames x speakers activity (0/1), row-major.
struct WindowActivity {
  std::int64_t start = 0;   // first sample of the window in the recording
  bool computed = false;    // false: no VAD speech in the window, model not run, all zeros
  std::vector<std::uint8_t> active;
};

struct Segmentation {
  SegmentationGeometry geometry;
  int frames_per_window = 0;
  std::vector<WindowActivity> windows;
  std::uint8_t at(std::size_t w, int frame, int speaker) const {
    return windows[w].active[std::size_t(frame) * std::size_t(geometry.num_speakers) + std::size_t(speaker)];
  }
};

class SegmentationModel {
 public:
  // kModelNotFound when the file is missing; kUnavailable when it lacks the metadata or the
  // input/output layout of a pyannote segmentation model.
  static Result<std::unique_ptr<SegmentationModel>> load(const std::string& path, const OnnxOptions& options);

  const SegmentationGeometry& geometry() const { return geometry_; }

  // Runs every window that overlaps `speech` (batch_size windows per model call, batches spread
  // over `threads` threads); progress is reported as fractions [0, progress_share] of the
  // "diarize" stage. Thread-safe.
  Result<Segmentation> run(std::span<const float> samples, const std::vector<SpeechRegion>& speech, int batch_size,
                           int threads, const ProgressFn& progress, double progress_share,
                           const CancelToken& cancel) const;

 private:
  std::unique_ptr<OnnxSession> session_;
  SegmentationGeometry geometry_;
  std::vector<std::vector<int>> classes_;
  std::string input_name_, output_name_;
};

}  // namespace vox::diar
