#include "vox/pipeline/request_fields.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "vox/text/text_rules.h"

namespace vox {

namespace {

Error bad(std::string_view field, const std::string& why) {
  return Error(ErrorCode::kInvalidArgument, std::string(field) + ": " + why, std::string(field));
}

Result<bool> to_bool(std::string_view field, std::string_view v) {
  std::string s(v);
  std::transform(s.begin(), s.end(), s.begin(), ::tolower);
  if (s == "true" || s == "1" || s == "yes" || s == "on" || s.empty()) return true;
  if (s == "false" || s == "0" || s == "no" || s == "off") return false;
  return bad(field, "expected true or false, got '" + std::string(v) + "'");
}

Result<int> to_int(std::string_view field, std::string_view v, int lo, int hi) {
  int out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || out < lo || out > hi)
    return bad(field, "expected an integer in " + std::to_string(lo) + ".." + std::to_string(hi) + ", got '" +
                          std::string(v) + "'");
  return out;
}

Result<double> to_double(std::string_view field, std::string_view v, double lo, double hi) {
  double out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || !std::isfinite(out) || out < lo || out > hi)
    return bad(field, "expected a number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got '" +
                          std::string(v) + "'");
  return out;
}

// OpenAI's chunking_strategy: "auto" or {"type": "server_vad", "threshold", "prefix_padding_ms",
// "silence_duration_ms"}.
Status set_chunking(VadOptions& vad, std::string_view v) {
  if (v == "auto") return Status::Ok();
  auto j = nlohmann::json::parse(v, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return bad("chunking_strategy", "expected \"auto\" or a JSON object");
  // A "type" that is not a string must be refused here: j.value() would throw (fuzz/regressions).
  if (j.contains("type") && (!j["type"].is_string() || j["type"].get<std::string>() != "server_vad"))
    return bad("chunking_strategy", "type must be server_vad");
  // The *_ms fields are clamped as doubles before the cast (1e30 cast to int is undefined
  // behaviour); the range checks below then refuse them.
  auto milliseconds = [&j](const char* key, int& field) {
    if (j.contains(key)) field = int(std::clamp(j[key].get<double>(), -1.0, 1e6));
  };
  try {
    if (j.contains("threshold")) vad.threshold = j["threshold"].get<float>();
    milliseconds("prefix_padding_ms", vad.prefix_padding_ms);
    milliseconds("silence_duration_ms", vad.silence_duration_ms);
  } catch (const nlohmann::json::exception&) {
    return bad("chunking_strategy", "threshold must be a number and the *_ms fields integers");
  }
  if (!(vad.threshold >= 0 && vad.threshold <= 1)) return bad("chunking_strategy", "threshold must be in [0, 1]");
  if (vad.prefix_padding_ms < 0 || vad.prefix_padding_ms > 5000) return bad("chunking_strategy", "prefix_padding_ms must be 0..5000");
  if (vad.silence_duration_ms < 50 || vad.silence_duration_ms > 10000)
    return bad("chunking_strategy", "silence_duration_ms must be 50..10000");
  return Status::Ok();
}

template <class T>
Status assign(T& field, Result<T> r) {
  if (!r) return r.error();
  field = *r;
  return Status::Ok();
}

}  // namespace

Status set_transcription_field(TranscriptionOptions& o, std::string_view raw_name, std::string_view v) {
  std::string name(raw_name);
  std::replace(name.begin(), name.end(), '-', '_');
  auto& r = o.request;
  if (name == "model") {
    o.model = std::string(v);
  } else if (name == "language") {
    r.recognize.language = std::string(v);
  } else if (name == "prompt") {
    r.recognize.prompt = std::string(v);
  } else if (name == "response_format" || name == "format") {
    auto f = parse_output_format(v);
    if (!f) return f.error();
    o.format = *f;
  } else if (name == "temperature") {
    auto t = to_double("temperature", v, 0.0, 1.0);
    if (!t) return t.error();
    r.recognize.temperature = float(*t);
  } else if (name == "timestamp_granularities[]" || name == "timestamp_granularities") {
    if (v == "word") o.write.word_timestamps = true;
    else if (v == "segment") o.write.segment_timestamps = true;
    else return bad("timestamp_granularities[]", "expected word or segment, got '" + std::string(v) + "'");
  } else if (name == "diarize") {
    o.diarize_given = true;
    return assign(r.diarize, to_bool("diarize", v));
  } else if (name == "num_speakers") {
    return assign(r.speakers.num_speakers, to_int("num_speakers", v, 1, 32));
  } else if (name == "min_speakers") {
    return assign(r.speakers.min_speakers, to_int("min_speakers", v, 1, 32));
  } else if (name == "max_speakers") {
    return assign(r.speakers.max_speakers, to_int("max_speakers", v, 1, 32));
  } else if (name == "diarizer") {
    r.diarizer = std::string(v);
  } else if (name == "vad") {
    r.vad = std::string(v);
  } else if (name == "chunking_strategy") {
    return set_chunking(r.vad_options, v);
  } else if (name == "known_speaker_names[]" || name == "known_speaker_names") {
    if (v.empty()) return bad("known_speaker_names[]", "a known speaker name must not be empty");
    o.known_speaker_names.emplace_back(v);
  } else if (name == "known_speaker_references[]" || name == "known_speaker_references") {
    o.known_speaker_references.emplace_back(v);
  } else if (name == "punctuate") {
    return assign(r.text.punctuate, to_bool("punctuate", v));
  } else if (name == "numerals") {
    return assign(r.text.numerals, to_bool("numerals", v));
  } else if (name == "detect_paragraphs") {
    return assign(r.text.detect_paragraphs, to_bool("detect_paragraphs", v));
  } else if (name == "detect_entities") {
    return assign(r.text.detect_entities, to_bool("detect_entities", v));
  } else if (name == "detect_sentiment") {
    return assign(r.text.detect_sentiment, to_bool("detect_sentiment", v));
  } else if (name == "remove_fillers") {
    return assign(r.text.remove_fillers, to_bool("remove_fillers", v));
  } else if (name == "profanity_filter") {
    return assign(r.text.profanity_filter, to_bool("profanity_filter", v));
  } else if (name == "text_rules") {
    auto rules = parse_text_rules_json(v);
    if (!rules) return rules.error();
    r.text.rules = std::move(*rules);
  } else if (name == "stream") {
    return assign(o.stream, to_bool("stream", v));
  } else if (name == "include[]" || name == "include") {
    // OpenAI's include[]=logprobs: our verbose_json always carries avg_logprob.
  } else {
    return Error(ErrorCode::kInvalidArgument, "unknown field '" + std::string(raw_name) + "'", std::string(raw_name));
  }
  return Status::Ok();
}

Status finish_transcription_options(TranscriptionOptions& o, const std::function<bool(const std::string&)>& is_engine) {
  if (!o.model.empty() && is_engine && is_engine(o.model)) o.request.engine = o.model;
  if (o.model == "gpt-4o-transcribe-diarize" && !o.diarize_given) {
    o.request.diarize = true;
    o.diarize_given = true;
  }
  if (o.known_speaker_names.size() != o.known_speaker_references.size())
    return bad("known_speaker_references[]", "give one reference clip per known_speaker_names[] entry");
  if (o.known_speaker_names.size() > size_t(kMaxKnownSpeakers))
    return bad("known_speaker_names[]", "at most " + std::to_string(kMaxKnownSpeakers) + " known speakers");
  o.request.known_speakers.clear();
  for (size_t i = 0; i < o.known_speaker_names.size(); ++i)
    o.request.known_speakers.push_back({o.known_speaker_names[i], o.known_speaker_references[i], {}});
  if (!o.request.known_speakers.empty() && !o.diarize_given) {
    o.request.diarize = true;  // naming speakers is asking for them
    o.diarize_given = true;
  }
  if (!o.diarize_given) o.request.diarize = output_format_shows_speakers(o.format);
  const auto& s = o.request.speakers;
  if (s.num_speakers > 0 && ((s.min_speakers > 0 && s.num_speakers < s.min_speakers) ||
                             (s.max_speakers > 0 && s.num_speakers > s.max_speakers)))
    return bad("num_speakers", "must lie between min_speakers and max_speakers");
  if (s.min_speakers > 0 && s.max_speakers > 0 && s.min_speakers > s.max_speakers)
    return bad("min_speakers", "must not exceed max_speakers");
  if (o.format == OutputFormat::kDiarizedJson || o.format == OutputFormat::kRttm) {
    if (o.diarize_given && !o.request.diarize)
      return bad("diarize", std::string(output_format_name(o.format)) + " needs diarize=true");
  }
  return Status::Ok();
}

const char* transcription_fields_help() {
  return "  -f, --response-format FMT  json | text | srt | vtt | verbose_json | diarized_json | rttm (default json)\n"
         "  --model NAME               recogniser to use (default: the configured one)\n"
         "  --language CODE            spoken language, e.g. en\n"
         "  --prompt TEXT              text to bias recognition, where the engine supports it\n"
         "  --timestamp-granularities word|segment   add word timestamps to verbose_json\n"
         "  --diarize true|false       label speakers (default: on for srt, vtt, verbose_json, diarized_json, rttm)\n"
         "  --num-speakers N, --min-speakers N, --max-speakers N   speaker-count hints\n"
         "  --diarizer NAME            embedded | pyannote\n"
         "  --chunking-strategy JSON   {\"type\":\"server_vad\",\"threshold\":0.5,\"silence_duration_ms\":500,...}\n"
         "  --punctuate true|false     sentences, punctuation and capitals (default true; --no-punctuate)\n"
         "  --numerals true|false      \"twenty five dollars\" -> \"$25\" (default true; --no-numerals)\n"
         "  --detect-paragraphs true|false   paragraphs in verbose_json/diarized_json, blank lines in text\n"
         "  --detect-entities true|false     people, organisations, places, dates, money, ... (entities[])\n"
         "  --detect-sentiment true|false    positive/neutral/negative overall and per paragraph\n"
         "  --remove-fillers true|false      drop um, uh, er (default true; --no-remove-fillers)\n"
         "  --profanity-filter true|false    mask profanity (default false)\n"
         "  --text-rules FILE          replacements, one \"from => to\" per line (also a server option)\n";
}

}  // namespace vox
