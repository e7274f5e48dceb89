#include "vox/diar/pyannote_segmentation.h"

#include <algorithm>
#include <array>
#include <functional>

#include "vox/diar/pyannote_parallel.h"

namespace vox::diar {

std::vector<std::vector<int>> powerset_classes(int num_speakers, int max_set_size) {
  std::vector<std::vector<int>> classes;
  std::vector<int> current;
  // All subsets of {0..n-1} of exactly `size` elements, lexicographically.
  std::function<void(int, int)> choose = [&](int from, int size) {
    if (int(current.size()) == size) {
      classes.push_back(current);
      return;
    }
    for (int s = from; s < num_speakers; ++s) {
      current.push_back(s);
      choose(s + 1, size);
      current.pop_back();
    }
  };
  for (int size = 0; size <= max_set_size; ++size) choose(0, size);
  return classes;
}

Result<std::unique_ptr<SegmentationModel>> SegmentationModel::load(const std::string& path,
                                                                   const OnnxOptions& options) {
  auto session = OnnxSession::load(path, options);
  if (!session) return session.error();
  auto model = std::make_unique<SegmentationModel>();
  const OnnxSession& s = **session;
  auto bad = [&](const std::string& why) {
    return Error(ErrorCode::kUnavailable, path + " is not a pyannote segmentation model: " + why);
  };
  SegmentationGeometry& g = model->geometry_;
  struct Field { const char* key; int* dst; };
  for (Field f : {Field{"window_size", &g.window_size}, Field{"receptive_field_size", &g.receptive_field_size},
                  Field{"receptive_field_shift", &g.receptive_field_shift}, Field{"num_speakers", &g.num_speakers},
                  Field{"powerset_max_classes", &g.powerset_max_classes}, Field{"num_classes", &g.num_classes}}) {
    auto v = s.metadata_int(f.key);
    if (!v) return v.error();
    if (*v <= 0 || *v > (1 << 24)) return bad(std::string("metadata '") + f.key + "' out of range");
    *f.dst = int(*v);
  }
  if (const std::string* sr = s.find_metadata("sample_rate"); sr && *sr != "16000")
    return bad("sample_rate " + *sr + " (only 16000 is supported)");
  g.window_shift = g.window_size / 10;  // pyannote's default step: 10 % of the window
  if (s.find_metadata("window_shift")) {
    auto v = s.metadata_int("window_shift");
    if (!v) return v.error();
    if (*v <= 0 || *v > g.window_size) return bad("metadata 'window_shift' out of range");
    g.window_shift = int(*v);
  }
  if (g.num_speakers > 8 || g.powerset_max_classes > g.num_speakers) return bad("implausible speaker counts");
  model->classes_ = powerset_classes(g.num_speakers, g.powerset_max_classes);
  if (int(model->classes_.size()) != g.num_classes)
    return bad("num_classes " + std::to_string(g.num_classes) + " does not match " + std::to_string(g.num_speakers) +
               " speakers with at most " + std::to_string(g.powerset_max_classes) + " at once");

  if (s.inputs().size() != 1 || s.outputs().empty()) return bad("expected one input and one output");
  const TensorInfo& in = s.inputs()[0];
  const TensorInfo& out = s.outputs()[0];
  if (in.type != TensorType::kFloat || in.shape.size() != 3 || (in.shape[1] > 0 && in.shape[1] != 1) ||
      (in.shape[2] > 0 && in.shape[2] != g.window_size))
    return bad("input '" + in.name + "' is " + shape_string(in.shape) + ", expected [N,1," +
               std::to_string(g.window_size) + "] float");
  if (out.type != TensorType::kFloat || out.shape.size() != 3 || (out.shape[2] > 0 && out.shape[2] != g.num_classes))
    return bad("output '" + out.name + "' is " + shape_string(out.shape) + ", expected [N,frames," +
               std::to_string(g.num_classes) + "] float");
  model->input_name_ = in.name;
  model->output_name_ = out.name;
  model->session_ = std::move(*session);
  return model;
}

namespace {

bool overlaps_speech(std::int64_t start, std::int64_t end, const std::vector<SpeechRegion>& speech) {
  for (const auto& r : speech)
    if (std::int64_t(r.start * 16000) < end && std::int64_t(r.end * 16000) > start) return true;
  return false;
}

}  // namespace

Result<Segmentation> SegmentationModel::run(std::span<const float> samples, const std::vector<SpeechRegion>& speech,
                                            int batch_size, int threads, const ProgressFn& progress,
                                            double progress_share, const CancelToken& cancel) const {
  const SegmentationGeometry& g = geometry_;
  Segmentation seg;
  seg.geometry = g;
  const std::int64_t n = std::int64_t(samples.size());
  // Windows every shift; the last one reaches the end (zero-padded past it).
  std::int64_t count = 1;
  if (n > g.window_size) count = 1 + (n - g.window_size + g.window_shift - 1) / g.window_shift;
  seg.windows.resize(std::size_t(count));
  std::vector<std::size_t> todo;
  for (std::int64_t w = 0; w < count; ++w) {
    seg.windows[std::size_t(w)].start = w * g.window_shift;
    if (overlaps_speech(w * g.window_shift, w * g.window_shift + g.window_size, speech)) todo.push_back(std::size_t(w));
  }
  const std::size_t per_batch = std::size_t(std::max(1, batch_size));
  const std::size_t batches = (todo.size() + per_batch - 1) / per_batch;
  std::vector<int> batch_frames(batches, 0);
  auto run_batch = [&](std::size_t b) -> Status {
    const std::size_t first = b * per_batch;
    const std::size_t m = std::min(per_batch, todo.size() - first);
    std::vector<float> batch(m * std::size_t(g.window_size), 0.f);
    for (std::size_t i = 0; i < m; ++i) {
      const std::int64_t start = seg.windows[todo[first + i]].start;
      const std::int64_t len = std::min<std::int64_t>(g.window_size, n - start);
      std::copy_n(samples.begin() + start, len, batch.begin() + std::ptrdiff_t(i * std::size_t(g.window_size)));
    }
    const std::array<InputTensor, 1> in = {
        InputTensor::floats(input_name_, {std::int64_t(m), 1, g.window_size}, batch)};
    auto out = session_->run(in, {output_name_});
    if (!out) return out.error();
    const OutputTensor& y = (*out)[0];
    if (y.shape.size() != 3 || y.shape[0] != std::int64_t(m) || y.shape[2] != g.num_classes || y.shape[1] <= 0)
      return Error(ErrorCode::kInternal, "segmentation output has shape " + shape_string(y.shape));
    const int frames = int(y.shape[1]);
    batch_frames[b] = frames;
    for (std::size_t i = 0; i < m; ++i) {
      WindowActivity& wa = seg.windows[todo[first + i]];
      wa.computed = true;
      wa.active.assign(std::size_t(frames) * std::size_t(g.num_speakers), 0);
      for (int f = 0; f < frames; ++f) {
        // pyannote's to_multilabel: the most likely class, then its members are active.
        const float* scores = y.f32.data() + (i * std::size_t(frames) + std::size_t(f)) * std::size_t(g.num_classes);
        const int best = int(std::max_element(scores, scores + g.num_classes) - scores);
        for (int s : classes_[std::size_t(best)]) wa.active[std::size_t(f) * std::size_t(g.num_speakers) + std::size_t(s)] = 1;
      }
    }
    return Status::Ok();
  };
  auto st = parallel_for(batches, threads, cancel, run_batch, [&](std::size_t done) {
    report(progress, "diarize", progress_share * double(done) / double(batches));
  });
  if (!st) return st.error();
  for (int frames : batch_frames) {
    if (seg.frames_per_window == 0) seg.frames_per_window = frames;
    if (frames != seg.frames_per_window) return Error(ErrorCode::kInternal, "segmentation frame count changed");
  }
  // Windows never run: all-zero activity of the same size.
  if (seg.frames_per_window == 0)
    seg.frames_per_window = 1 + (g.window_size - g.receptive_field_size) / g.receptive_field_shift;
  for (auto& w : seg.windows)
    if (!w.computed) w.active.assign(std::size_t(seg.frames_per_window) * std::size_t(g.num_speakers), 0);
  report(progress, "diarize", progress_share);
  return seg;
}

}  // namespace vox::diar
