// response_format=srt: SubRip cues numbered 1..N; a diarized cue starts with "[A] ".
#include <algorithm>
#include <string>

#include "vox/format/subtitle_cues.h"
#include "vox/format/utf8.h"
#include "vox/format/writers.h"

namespace vox {
namespace {

// "-->" inside text would read as a timing line to strict parsers.
std::string without_arrows(std::string line) {
  for (size_t p; (p = line.find("-->")) != std::string::npos;) line.replace(p, 3, "->");
  return line;
}

}  // namespace

std::string write_srt(const Transcript& t) {
  CueRules rules;
  // The prefix is visible on screen, so it counts against the first line's length. Capped at
  // half a line so that a long known-speaker name cannot squeeze the text out entirely (such a
  // name can then push its first line past the limit).
  for (const auto& s : t.segments)
    if (!s.speaker.empty())
      rules.first_line_reserve = std::max(rules.first_line_reserve, int(utf8_length(s.speaker)) + 3);
  rules.first_line_reserve = std::min(rules.first_line_reserve, rules.max_line_chars / 2);
  std::string out;
  int number = 0;
  for (const auto& cue : build_subtitle_cues(t, rules)) {
    out += std::to_string(++number) + '\n';
    out += format_timestamp(double(cue.start_ms) / 1000.0, ',') + " --> " +
           format_timestamp(double(cue.end_ms) / 1000.0, ',') + '\n';
    for (size_t i = 0; i < cue.lines.size(); ++i) {
      std::string line = cue.lines[i];
      if (i == 0 && !cue.speaker.empty()) line = "[" + cue.speaker + "] " + line;
      out += without_arrows(line) + '\n';
    }
    out += '\n';
  }
  return out;
}

}  // namespace vox
