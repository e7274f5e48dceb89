// Speaker-level steps that work on frame labels: per-speaker GMMs re-assign frames (Viterbi),
// tiny clusters are dissolved, and the distance between two clusters is measured on held-out
// frames, which is far more reliable than comparing 1.5 s windows.
#pragma once

#include <cstdint>
#include <vector>

#include "vox/diar/embedded_diarizer.h"
#include "vox/diar/features.h"

namespace vox::diar {

// Frame labels: -1 = not assigned (non-speech, or released), else a speaker index < k.
using FrameLabels = std::vector<int>;

int distinct_labels(const FrameLabels& labels, int k);

// One re-segmentation pass: a GMM per speaker on its voiced frames, scores smoothed over
// +-smooth_half_width frames, Viterbi with switch_penalty. Every speech frame gets a speaker
// that has frames now; speakers without frames stay empty.
FrameLabels resegment(const RecordingFeatures& f, const std::vector<std::uint8_t>& voiced, const FrameLabels& labels,
                      int k, const EmbeddedDiarizerParams& p);

// Releases (label -1) clusters with fewer than `min_frames` frames, smallest first, while more
// than `keep_at_least` speakers remain. Returns whether anything changed.
bool prune_small_clusters(FrameLabels& labels, int k, int min_frames, int keep_at_least);

// k x k symmetric matrix of held-out log-likelihood ratios per frame: for clusters i and j,
// models trained on alternate 0.5 s blocks of each, scored on the other blocks of both. Near 0
// for two halves of one voice, large for two voices. Entries involving an empty cluster are +inf.
std::vector<double> cluster_distances(const RecordingFeatures& f, const std::vector<std::uint8_t>& voiced,
                                      const FrameLabels& labels, int k, const EmbeddedDiarizerParams& p);

}  // namespace vox::diar
