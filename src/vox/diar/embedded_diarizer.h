// The embedded diarizer: speaker models learnt from the recording itself (no pretrained model,
// nothing to download). Steps, each in its own file:
//   features.cpp            MFCC of the speech frames, normalised over the recording
//   segment_embeddings.cpp  1.5 s windows -> [mean | spread] of their cepstra
//   clustering.cpp          average-linkage clustering; the speaker count from a distance
//                           threshold, or the caller's exact count / bounds
//   gmm.cpp, resegmentation.cpp  per-speaker GMMs re-assign every 10 ms frame (Viterbi), so
//                           turns start and end where the voices change
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "vox/core/config.h"
#include "vox/diar/diarizer.h"

namespace vox {

// Tunables, with the defaults measured on the eval kit (docs/diarization.md).
struct EmbeddedDiarizerParams {
  int window_frames = 150;        // embedding window (10 ms frames)
  int hop_frames = 75;
  int min_window_frames = 30;     // shorter speech runs get no embedding of their own
  double voiced_quantile = 0.5;   // frames below this energy quantile do not shape embeddings
  bool embedding_spread = true;   // append per-window standard deviations to the means
  double merge_threshold = 0.6;   // average-linkage cosine distance that stops window merging
  int max_initial_clusters = 10;  // the window clustering's cap, before whole clusters merge
  int max_speakers = 8;           // when the caller gives no bound
  int max_pause_frames = 50;      // silences inside VAD regions longer than this are not speech
  double min_cluster_seconds = 3.0; // smaller clusters are dissolved (unless the count needs them)
  double minor_cluster_share = 0.1;      // after merging, clusters under this share of the speech...
  double minor_cluster_cap_seconds = 10;  // ...(or this long, whichever is less) are dissolved
  int gmm_components = 16;
  int distance_components = 8;      // GMMs that compare two clusters (held-out likelihoods)
  double cluster_merge_threshold = 3.8;  // per-frame log-likelihood ratio below which clusters merge
  int gmm_iterations = 5;
  int gmm_max_frames = 20000;     // per speaker, evenly subsampled
  int resegment_passes = 2;
  int smooth_half_width = 25;     // frames each side averaged before the Viterbi decision
  double switch_penalty = 30.0;   // log-likelihood cost of a speaker change
};

namespace diar {
// The whole method on one recording. Validates options; empty speech gives no turns.
Result<std::vector<SpeakerTurn>> diarize_recording(std::span<const float> samples,
                                                   const std::vector<SpeechRegion>& speech,
                                                   const DiarizeOptions& options,
                                                   const EmbeddedDiarizerParams& params,
                                                   const ProgressFn& progress, const CancelToken& cancel);
}  // namespace diar

std::unique_ptr<Diarizer> make_embedded_diarizer_with(const EmbeddedDiarizerParams& params);
Result<std::unique_ptr<Diarizer>> make_embedded_diarizer(const Config& config);

}  // namespace vox
