// Splits a transcript into readable subtitle cues; shared by the SRT and WebVTT writers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vox/format/transcript.h"

namespace vox {

struct SubtitleCue {
  long long start_ms = 0;  // whole milliseconds, so the written file shows exactly these values
  long long end_ms = 0;
  std::string speaker;             // one line, valid UTF-8; empty when not diarized
  std::vector<std::string> lines;  // 1..max_lines lines, never empty
};

struct CueRules {
  int max_line_chars = 42;      // characters (code points) per line
  int max_lines = 2;
  long long max_cue_ms = 7000;  // longest time one cue stays on screen
  long long min_cue_ms = 100;   // a cue is stretched to this unless the next cue starts sooner
  int first_line_reserve = 0;   // characters a visible prefix (SRT's "[A] ") takes on line one
};

// Cues never span segments (so each has one speaker) and are cut at word boundaries, using word
// timings when a segment has words and timing proportional to characters otherwise. Words longer
// than a line are broken. The result has strictly increasing, non-overlapping times with
// end > start; segments without text produce no cue.
std::vector<SubtitleCue> build_subtitle_cues(const Transcript& t, const CueRules& rules = {});

}  // namespace vox
