// response_format=vtt: WebVTT; a diarized cue is wrapped in a voice span "<v A>...</v>".
#include <string>
#include <string_view>

#include "vox/format/subtitle_cues.h"
#include "vox/format/writers.h"

namespace vox {
namespace {

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string write_vtt(const Transcript& t) {
  std::string out = "WEBVTT\n\n";
  for (const auto& cue : build_subtitle_cues(t)) {
    out += format_timestamp(double(cue.start_ms) / 1000.0, '.') + " --> " +
           format_timestamp(double(cue.end_ms) / 1000.0, '.') + '\n';
    std::string text;
    for (size_t i = 0; i < cue.lines.size(); ++i) {
      if (i > 0) text += '\n';
      text += escape(cue.lines[i]);
    }
    if (!cue.speaker.empty()) text = "<v " + escape(cue.speaker) + ">" + text + "</v>";
    out += text + "\n\n";
  }
  return out;
}

}  // namespace vox
