// response_format=rttm: one SPEAKER line per speaker turn (NIST RTTM, as dscore/md-eval read it).
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "vox/format/utf8.h"
#include "vox/format/writers.h"

namespace vox {
namespace {

// Consecutive segments of one speaker closer than this are one turn. Segments are also split at
// pauses longer than a second; bridging those would count the silence as speech (false alarm).
constexpr double kMaxTurnGapS = 0.5;

struct Turn {
  double start, end;
  std::string speaker;
};

// RTTM fields are separated by whitespace, so a field must not contain any.
std::string field(std::string_view s, std::string_view fallback) {
  std::string out = utf8_valid(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) <= 0x20) c = '_';
  return out.empty() ? std::string(fallback) : out;
}

}  // namespace

std::string write_rttm(const Transcript& t, const WriteOptions& options) {
  std::vector<Turn> turns;
  for (const auto& s : t.segments) {
    if (!std::isfinite(s.start) || !std::isfinite(s.end)) continue;
    // An undiarized transcript is one speaker, called what the first diarized speaker would be.
    std::string speaker = field(s.speaker, "A");
    double start = std::max(0.0, s.start), end = std::max(start, s.end);
    if (!turns.empty() && turns.back().speaker == speaker && start - turns.back().end <= kMaxTurnGapS) {
      turns.back().end = std::max(turns.back().end, end);
      continue;
    }
    turns.push_back(Turn{start, end, speaker});
  }
  std::string id = field(options.recording_id, "audio");
  std::string out;
  char buf[64];
  for (const auto& turn : turns) {
    if (turn.end <= turn.start) continue;  // zero-length turns are not speech
    std::snprintf(buf, sizeof buf, " 1 %.3f %.3f <NA> <NA> ", turn.start, turn.end - turn.start);
    out += "SPEAKER " + id + buf + turn.speaker + " <NA> <NA>\n";
  }
  return out;
}

}  // namespace vox
