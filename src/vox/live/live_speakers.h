// Online speaker matching for live sessions: each final turn is compared with the speakers heard
// so far in the session (and the known speakers enrolled at its start) and joins the nearest one,
// or becomes a new speaker when none is near enough.
//
// A voice is described by the statistics of its loud frames' cepstra (c1..c20 of the embedded
// diarizer's MFCC front end): per-dimension mean and variance, a diagonal Gaussian. The distance
// between a turn and a speaker is the symmetric Kullback-Leibler divergence of the two Gaussians
// per dimension; a speaker's statistics accumulate over the turns matched to it.
// Tuned on flite voices (slt, rms, awb, kal16; 4 sentences of ~4 s each) and the librivox clips
// (one reader, cut into 3 s pieces):
//   same flite voice, two sentences:      at most 0.076
//   two flite voices:                      at least 0.29
//   3 s of the reader against the rest:   at most 0.18 (mean 0.13)
// so a turn joins a speaker below 0.22. Cheap (one MFCC pass over the turn, ~2 ms per second),
// but weaker than a neural embedding: close real voices can merge and very short turns are
// unreliable (turns with under min_voiced_s of loud frames join the nearest speaker and do not
// change it).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vox/core/error.h"

namespace vox::live {

struct VoiceStats {
  double frames = 0;
  std::vector<double> sum;     // per dimension
  std::vector<double> sum_sq;

  void add(const VoiceStats& other);
};

// Statistics of the frames within a fixed level of the loudest one (speech, not pauses).
VoiceStats voice_stats(std::span<const float> samples);

// Symmetric KL divergence of the two diagonal Gaussians, averaged over dimensions.
double voice_distance(const VoiceStats& a, const VoiceStats& b);

struct LiveSpeakerParams {
  double threshold = 0.22;
  double min_voiced_s = 0.8;
};

class LiveSpeakers {
 public:
  explicit LiveSpeakers(LiveSpeakerParams params = {}) : params_(params) {}

  // A known speaker (a reference clip of their voice); kInvalidArgument when the clip holds too
  // little speech to describe it.
  Status enroll(const std::string& name, std::span<const float> samples);
  // The speaker of one turn: a known speaker's name, a session speaker's letter ("A", "B", ...,
  // in order of first appearance), or a new letter.
  std::string assign(std::span<const float> samples);

  std::size_t size() const { return speakers_.size(); }

 private:
  struct Speaker {
    std::string label;
    VoiceStats stats;
  };
  std::string next_letter();

  LiveSpeakerParams params_;
  std::vector<Speaker> speakers_;
  int letters_ = 0;
};

}  // namespace vox::live
