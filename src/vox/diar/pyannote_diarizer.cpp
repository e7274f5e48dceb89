#include "vox/diar/pyannote_diarizer.h"

#include <algorithm>
#include <thread>

#include "vox/diar/pyannote_clustering.h"
#include "vox/diar/pyannote_parallel.h"

namespace vox {

namespace {

using diar::EmbeddingModel;
using diar::LocalSpeakerEmbedding;
using diar::Segmentation;
using diar::SegmentationModel;

class PyannoteDiarizer : public Diarizer {
 public:
  PyannoteDiarizer(std::unique_ptr<SegmentationModel> seg, std::unique_ptr<EmbeddingModel> emb, PyannoteParams p)
      : seg_(std::move(seg)), emb_(std::move(emb)), params_(p) {}

  std::string name() const override { return "pyannote"; }

  Result<std::vector<SpeakerTurn>> diarize(std::span<const float> samples, const std::vector<SpeechRegion>& speech,
                                           const DiarizeOptions& options, const ProgressFn& progress,
                                           const CancelToken& cancel) override {
    if (options.num_speakers < 0 || options.min_speakers < 0 || options.max_speakers < 0)
      return Error(ErrorCode::kInvalidArgument, "speaker counts must not be negative");
    if (options.min_speakers > 0 && options.max_speakers > 0 && options.min_speakers > options.max_speakers)
      return Error(ErrorCode::kInvalidArgument, "min_speakers is larger than max_speakers", "min_speakers");
    if (samples.empty() || speech.empty()) return std::vector<SpeakerTurn>{};

    auto seg = seg_->run(samples, speech, params_.batch_size, params_.threads, progress, 0.4, cancel);
    if (!seg) return seg.error();
    auto items = embeddings(*seg, samples, progress, cancel);
    if (!items) return items.error();
    const auto assignment = diar::assign_speakers(*items, seg->windows.size(), seg->geometry.num_speakers, options,
                                                  params_.cluster_threshold, params_.default_max_speakers);
    auto turns = diar::reconstruct_turns(*seg, assignment, samples.size(), params_.reconstruction);
    report(progress, "diarize", 1.0);
    return turns;
  }

 private:
  // One embedding per (window, local speaker): from the frames where that speaker is alone
  // when there are enough of them (clean), else from all its frames. Windows run in parallel.
  Result<std::vector<LocalSpeakerEmbedding>> embeddings(const Segmentation& seg, std::span<const float> samples,
                                                        const ProgressFn& progress, const CancelToken& cancel) const {
    std::vector<std::size_t> computed;
    for (std::size_t w = 0; w < seg.windows.size(); ++w)
      if (seg.windows[w].computed) computed.push_back(w);
    std::vector<std::vector<LocalSpeakerEmbedding>> per_window(computed.size());
    auto st = diar::parallel_for(
        computed.size(), params_.threads, cancel,
        [&](std::size_t i) { return window_embeddings(seg, computed[i], samples, per_window[i]); },
        [&](std::size_t done) { report(progress, "diarize", 0.4 + 0.55 * double(done) / double(computed.size())); });
    if (!st) return st.error();
    std::vector<LocalSpeakerEmbedding> items;
    for (auto& v : per_window)
      for (auto& it : v) items.push_back(std::move(it));
    return items;
  }

  Status window_embeddings(const Segmentation& seg, std::size_t w, std::span<const float> samples,
                           std::vector<LocalSpeakerEmbedding>& out) const {
    const auto& g = seg.geometry;
    const std::size_t min_clean = std::max(emb_->min_samples(), std::size_t(params_.min_clean_s * 16000));
    const std::size_t min_any = std::max(emb_->min_samples(), std::size_t(params_.min_embedding_s * 16000));
    const std::int64_t n = std::int64_t(samples.size());
    // Frame f stands for the rf_shift samples around the centre of its receptive field.
    const std::int64_t centre = (g.receptive_field_size - g.receptive_field_shift) / 2;
    std::vector<float> clean, any;
    for (int s = 0; s < g.num_speakers; ++s) {
      clean.clear();
      any.clear();
      for (int f = 0; f < seg.frames_per_window; ++f) {
        if (!seg.at(w, f, s)) continue;
        bool alone = true;
        for (int o = 0; o < g.num_speakers; ++o) alone = alone && (o == s || !seg.at(w, f, o));
        const std::int64_t a = seg.windows[w].start + centre + std::int64_t(f) * g.receptive_field_shift;
        const std::int64_t b = std::min(n, a + g.receptive_field_shift);
        if (a >= b) continue;
        any.insert(any.end(), samples.begin() + a, samples.begin() + b);
        if (alone) clean.insert(clean.end(), samples.begin() + a, samples.begin() + b);
      }
      const bool use_clean = clean.size() >= min_clean;
      if (!use_clean && any.size() < min_any) continue;
      auto e = emb_->embed(use_clean ? clean : any);
      if (!e) return e.error();
      out.push_back({w, s, std::move(*e), use_clean});
    }
    return Status::Ok();
  }

  std::unique_ptr<SegmentationModel> seg_;
  std::unique_ptr<EmbeddingModel> emb_;
  PyannoteParams params_;
};

}  // namespace

std::unique_ptr<Diarizer> make_pyannote_diarizer_with(std::unique_ptr<SegmentationModel> segmentation,
                                                      std::unique_ptr<EmbeddingModel> embedding,
                                                      const PyannoteParams& params) {
  return std::make_unique<PyannoteDiarizer>(std::move(segmentation), std::move(embedding), params);
}

Result<std::unique_ptr<Diarizer>> make_pyannote_diarizer_from(const std::string& segmentation_path,
                                                              const std::string& embedding_path,
                                                              const OnnxOptions& options, const PyannoteParams& params) {
  auto seg = SegmentationModel::load(segmentation_path, options);
  if (!seg) return seg.error();
  auto emb = EmbeddingModel::load(embedding_path, options);
  if (!emb) return emb.error();
  return make_pyannote_diarizer_with(std::move(*seg), std::move(*emb), params);
}

Result<std::unique_ptr<Diarizer>> make_pyannote_diarizer(const Config& config) {
  const std::string dir = config.engines.models_dir;
  if (dir.empty()) return Error(ErrorCode::kModelNotFound, "pyannote diarizer: no models directory configured");
  PyannoteParams params;
  params.threads = config.engines.threads > 0 ? config.engines.threads
                                              : int(std::max(1u, std::thread::hardware_concurrency()));
  return make_pyannote_diarizer_from(dir + "/" + kPyannoteSegmentationPath, dir + "/" + kSpeakerEmbeddingPath,
                                     onnx_options_from(config.engines), params);
}

}  // namespace vox
