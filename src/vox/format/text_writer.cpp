// response_format=text: the plain transcript, as OpenAI returns it (no speaker prefixes even when
// diarized — the speaker-aware formats are srt, vtt, verbose_json, diarized_json and rttm); with
// paragraphs (detect_paragraphs), a blank line between them.
#include "vox/format/json_support.h"
#include "vox/format/writers.h"

namespace vox {

std::string write_text(const Transcript& t) {
  std::string text;
  if (t.paragraphs.empty()) {
    text = json_support::full_text(t);
  } else {
    for (const auto& p : t.paragraphs) {
      if (p.text.empty()) continue;
      if (!text.empty()) text += "\n\n";
      text += p.text;
    }
  }
  // OpenAI ends a text response with a newline; an empty transcript is an empty body.
  if (!text.empty()) text += '\n';
  return text;
}

}  // namespace vox
