// Pure functions that turn recogniser words and diarizer turns into segments.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "vox/diar/diarizer.h"
#include "vox/format/transcript.h"

namespace vox {

// "A", "B", ..., "Z", "AA", ...
std::string speaker_label(int index);

// Cluster index -> speaker label: the known names first, then A, B, ... in the order clusters are
// first asked for (callers ask in time order, so labels follow first appearance).
class SpeakerLabeller {
 public:
  explicit SpeakerLabeller(std::map<int, std::string> names = {}) : labels_(std::move(names)) {}
  const std::string& operator()(int cluster);

 private:
  std::map<int, std::string> labels_;
  int letters_ = 0;
};

// Gives every word the speaker whose turns overlap it most (the nearest turn when none overlaps).
// Speakers are relabelled A, B, ... in order of first appearance among the words; clusters found
// in `names` (known speakers) get that name instead.
void assign_speakers(std::vector<Word>& words, const std::vector<SpeakerTurn>& turns,
                     const std::map<int, std::string>& names = {});

struct SegmentRules {
  double max_pause_s = 1.0;     // a longer pause between words starts a new segment
  double max_segment_s = 15.0;  // segments are cut at the next word boundary past this length
};

// Groups time-ordered words into segments; a change of speaker always starts a new segment.
std::vector<Segment> build_segments(const std::vector<Word>& words, const SegmentRules& rules = {});

// Fills t.text from the segments.
void finalize_transcript(Transcript& t);

}  // namespace vox
