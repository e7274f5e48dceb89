// response_format=verbose_json in OpenAI's (whisper-1) schema, plus "speaker" when diarized.
//
// Fields vox has no real value for get documented neutral values, so clients that parse the
// schema strictly still work:
//   seek     0 — vox decodes VAD chunks, not Whisper's 30 s windows, so there is no window offset.
//   tokens   [] — the recognisers vox runs do not expose BPE token ids.
//   temperature: 0.0 — decoding is deterministic (no temperature fallback).
#include "vox/format/json_support.h"
#include "vox/format/language_names.h"
#include "vox/format/writers.h"

namespace vox {
namespace {

using json_support::Json;
using json_support::rounded;

Json word_json(const Word& w, bool with_speaker) {
  Json j{{"word", w.text}, {"start", rounded(w.start)}, {"end", rounded(w.end)}};
  if (with_speaker) j["speaker"] = w.speaker;
  return j;
}

Json segment_json(const Segment& s, bool with_speaker) {
  Json j;
  j["id"] = s.id;
  j["seek"] = 0;
  j["start"] = rounded(s.start);
  j["end"] = rounded(s.end);
  j["text"] = s.text;
  j["tokens"] = Json::array();
  j["temperature"] = 0.0;
  j["avg_logprob"] = rounded(s.avg_logprob, 4);
  j["compression_ratio"] = rounded(s.compression_ratio, 4);
  j["no_speech_prob"] = rounded(s.no_speech_prob, 4);
  if (with_speaker) j["speaker"] = s.speaker;
  return j;
}

}  // namespace

std::string write_verbose_json(const Transcript& t, const WriteOptions& options) {
  Json out;
  out["task"] = "transcribe";
  out["language"] = language_full_name(t.language.empty() ? "en" : t.language);
  out["duration"] = rounded(t.duration);
  out["text"] = json_support::full_text(t);
  if (options.word_timestamps) {
    Json words = Json::array();
    for (const auto& s : t.segments)
      for (const auto& w : s.words) words.push_back(word_json(w, t.diarized));
    out["words"] = std::move(words);
  }
  if (options.segment_timestamps) {
    Json segments = Json::array();
    for (const auto& s : t.segments) segments.push_back(segment_json(s, t.diarized));
    out["segments"] = std::move(segments);
  }
  json_support::add_text_annotations(out, t);
  out["usage"] = json_support::usage(t);
  return json_support::dump(out);
}

}  // namespace vox
