#include <algorithm>
#include <cmath>

#include "vox/diar/clustering.h"
#include "vox/diar/embedded_diarizer.h"
#include "vox/diar/features.h"
#include "vox/diar/mfcc.h"
#include "vox/diar/segment_embeddings.h"
#include "vox/diar/speaker_models.h"

namespace vox::diar {

namespace {

Status check_options(const DiarizeOptions& o) {
  if (o.num_speakers < 0) return Error(ErrorCode::kInvalidArgument, "num_speakers must be >= 0", "num_speakers");
  if (o.min_speakers < 0) return Error(ErrorCode::kInvalidArgument, "min_speakers must be >= 0", "min_speakers");
  if (o.max_speakers < 0) return Error(ErrorCode::kInvalidArgument, "max_speakers must be >= 0", "max_speakers");
  if (o.min_speakers > 0 && o.max_speakers > 0 && o.min_speakers > o.max_speakers)
    return Error(ErrorCode::kInvalidArgument, "min_speakers is larger than max_speakers", "min_speakers");
  return Status::Ok();
}

Error cancelled() { return Error(ErrorCode::kCancelled, "diarization cancelled"); }

// Frame labels -> turns, speakers renumbered by first appearance.
std::vector<SpeakerTurn> frames_to_turns(const std::vector<int>& label, const std::vector<std::uint8_t>& speech) {
  std::vector<SpeakerTurn> turns;
  std::vector<int> renumber;
  const int n = int(label.size());
  int i = 0;
  while (i < n) {
    if (!speech[std::size_t(i)] || label[std::size_t(i)] < 0) {
      ++i;
      continue;
    }
    const int who = label[std::size_t(i)];
    int j = i;
    while (j < n && speech[std::size_t(j)] && label[std::size_t(j)] == who) ++j;
    if (std::size_t(who) >= renumber.size()) renumber.resize(std::size_t(who) + 1, -1);
    if (renumber[std::size_t(who)] < 0)
      renumber[std::size_t(who)] = int(std::count_if(renumber.begin(), renumber.end(), [](int r) { return r >= 0; }));
    turns.push_back({i * kFrameSeconds, j * kFrameSeconds, renumber[std::size_t(who)]});
    i = j;
  }
  return turns;
}

// Merges the two closest clusters (held-out likelihood ratio) while they are closer than the
// threshold or the caller's bound demands it, re-segmenting after every merge.
Status merge_clusters(const RecordingFeatures& f, const std::vector<std::uint8_t>& voiced, FrameLabels& labels, int k,
                      int min_k, int max_k, const EmbeddedDiarizerParams& p, const CancelToken& cancel) {
  while (true) {
    const int alive = distinct_labels(labels, k);
    if (alive <= std::max(min_k, 1)) return Status::Ok();
    if (cancel.cancelled()) return cancelled();
    const std::vector<double> d = cluster_distances(f, voiced, labels, k, p);
    int bi = -1, bj = -1;
    for (int i = 0; i < k; ++i)
      for (int j = i + 1; j < k; ++j)
        if (bi < 0 || d[std::size_t(i * k + j)] < d[std::size_t(bi * k + bj)]) bi = i, bj = j;
    const double best = d[std::size_t(bi * k + bj)];
    if (alive <= max_k && !(best < p.cluster_merge_threshold)) return Status::Ok();
    if (!std::isfinite(best)) {
      // Clusters too small to compare; the caller's bound still has to be met: fold the
      // smallest into the largest.
      std::vector<int> size(static_cast<std::size_t>(k), 0);
      for (int l : labels)
        if (l >= 0) ++size[std::size_t(l)];
      bi = int(std::max_element(size.begin(), size.end()) - size.begin());
      bj = -1;
      for (int s = 0; s < k; ++s)
        if (size[std::size_t(s)] > 0 && s != bi && (bj < 0 || size[std::size_t(s)] < size[std::size_t(bj)])) bj = s;
    }
    for (int& l : labels)
      if (l == bj) l = bi;
    FrameLabels next = resegment(f, voiced, labels, k, p);
    if (distinct_labels(next, k) >= std::min(distinct_labels(labels, k), std::max(min_k, 1))) labels.swap(next);
  }
}

}  // namespace

Result<std::vector<SpeakerTurn>> diarize_recording(std::span<const float> samples,
                                                   const std::vector<SpeechRegion>& speech,
                                                   const DiarizeOptions& options,
                                                   const EmbeddedDiarizerParams& p,
                                                   const ProgressFn& progress, const CancelToken& cancel) {
  if (Status s = check_options(options); !s) return s.error();
  for (const auto& r : speech)
    if (!std::isfinite(r.start) || !std::isfinite(r.end))
      return Error(ErrorCode::kInvalidArgument, "speech region with a non-finite time");
  report(progress, "diarize", 0.0);
  auto extracted = extract_features(samples, speech, progress, 0.5, cancel);
  if (!extracted) return extracted.error();
  RecordingFeatures& f = extracted.value();
  drop_long_silences(f, p.max_pause_frames);
  normalise_features(f);
  const std::vector<std::uint8_t> voiced = voiced_frames(f, p.voiced_quantile);

  const std::vector<Window> windows = make_windows(f.speech, p.window_frames, p.hop_frames, p.min_window_frames);
  if (windows.empty()) {
    report(progress, "diarize", 1.0);
    return std::vector<SpeakerTurn>{};
  }
  if (cancel.cancelled()) return cancelled();
  const auto embeddings = window_embeddings(f, voiced, windows, p.embedding_spread);
  const int n = int(windows.size());
  const auto merges = average_linkage(cosine_distances(embeddings));
  if (cancel.cancelled()) return cancelled();
  report(progress, "diarize", 0.6);

  int min_k = options.min_speakers, max_k = options.max_speakers > 0 ? options.max_speakers : p.max_speakers;
  if (options.num_speakers > 0) min_k = max_k = options.num_speakers;
  min_k = std::min(min_k, n);  // cannot find more voices than windows
  // Over-cluster on purpose: windows are noisy evidence, so the count is settled later on whole
  // clusters (merge_clusters), which only ever merges.
  const int k = cluster_count_at_threshold(merges, n, p.merge_threshold, std::max(min_k, 1),
                                           std::max(p.max_initial_clusters, min_k));
  const std::vector<int> window_label = cut_dendrogram(merges, n, k);

  const std::vector<int> owner = nearest_window(windows, f.num_frames);
  std::vector<int> labels(std::size_t(f.num_frames), -1);
  for (int t = 0; t < f.num_frames; ++t)
    if (f.speech[std::size_t(t)]) labels[std::size_t(t)] = owner[std::size_t(t)] >= 0 ? window_label[std::size_t(owner[std::size_t(t)])] : -1;
  // Short speech runs without a window of their own: nearest labelled frame before them, else after.
  int last = -1;
  for (int t = 0; t < f.num_frames; ++t) {
    if (labels[std::size_t(t)] >= 0) last = labels[std::size_t(t)];
    else if (f.speech[std::size_t(t)] && last >= 0) labels[std::size_t(t)] = last;
  }
  last = -1;
  for (int t = f.num_frames - 1; t >= 0; --t) {
    if (labels[std::size_t(t)] >= 0) last = labels[std::size_t(t)];
    else if (f.speech[std::size_t(t)]) labels[std::size_t(t)] = last;
  }

  const int want_at_least = std::max(min_k, 1);
  const int min_cluster_frames = int(p.min_cluster_seconds / kFrameSeconds);
  prune_small_clusters(labels, k, min_cluster_frames, want_at_least);
  for (int pass = 0; k > 1 && pass < std::max(p.resegment_passes, 1); ++pass) {
    if (cancel.cancelled()) return cancelled();
    FrameLabels next = resegment(f, voiced, labels, k, p);
    // Honour the caller's count: a pass that loses a required speaker is not taken.
    if (distinct_labels(next, k) < std::min(want_at_least, distinct_labels(labels, k))) break;
    labels.swap(next);
    prune_small_clusters(labels, k, min_cluster_frames, want_at_least);
    report(progress, "diarize", 0.6 + 0.2 * (pass + 1) / std::max(p.resegment_passes, 1));
  }
  if (k > 1) {
    if (Status s = merge_clusters(f, voiced, labels, k, min_k, max_k, p, cancel); !s) return s.error();
    // What survives merging but holds only a sliver of the talk is a voice's odd moments (laughs,
    // overlaps, noise bursts), not a person of its own.
    const int final_min_frames = std::max(
        min_cluster_frames, int(std::min(p.minor_cluster_cap_seconds, p.minor_cluster_share * f.speech_frames() * kFrameSeconds) /
                                kFrameSeconds));
    if (prune_small_clusters(labels, k, final_min_frames, want_at_least)) {
      FrameLabels next = resegment(f, voiced, labels, k, p);
      if (distinct_labels(next, k) >= std::min(want_at_least, distinct_labels(labels, k))) labels.swap(next);
    }
  }
  report(progress, "diarize", 1.0);
  return frames_to_turns(labels, f.speech);
}

}  // namespace vox::diar
