#include "vox/format/json_support.h"

#include <cmath>

namespace vox::json_support {

double rounded(double value, int decimals) {
  if (!std::isfinite(value)) return 0.0;
  double scale = std::pow(10.0, decimals);
  double r = std::round(value * scale) / scale;
  return r == 0.0 ? 0.0 : r;  // no "-0.0"
}

std::string dump(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

Json usage(const Transcript& t) {
  double d = std::isfinite(t.duration) && t.duration > 0 ? t.duration : 0.0;
  // Tiny float noise (3.0000000001 s) must not bill an extra second.
  long long seconds = static_cast<long long>(std::ceil(d - 1e-6));
  if (seconds < 0) seconds = 0;
  return Json{{"type", "duration"}, {"seconds", seconds}};
}

std::string full_text(const Transcript& t) {
  if (!t.text.empty()) return t.text;
  std::string out;
  for (const auto& s : t.segments) {
    if (s.text.empty()) continue;
    if (!out.empty()) out += ' ';
    out += s.text;
  }
  return out;
}

namespace {

Json sentiment_json(const Sentiment& s) { return {{"label", s.label}, {"score", rounded(s.score, 3)}}; }

}  // namespace

void add_text_annotations(Json& out, const Transcript& t) {
  if (!t.paragraphs.empty()) {
    Json paragraphs = Json::array();
    for (const auto& p : t.paragraphs) {
      Json sentences = Json::array();
      for (const auto& s : p.sentences)
        sentences.push_back({{"start", rounded(s.start)}, {"end", rounded(s.end)}, {"text", s.text}});
      Json j{{"start", rounded(p.start)}, {"end", rounded(p.end)}, {"speaker", p.speaker}, {"text", p.text},
             {"sentences", std::move(sentences)}};
      if (p.sentiment) j["sentiment"] = sentiment_json(*p.sentiment);
      paragraphs.push_back(std::move(j));
    }
    out["paragraphs"] = std::move(paragraphs);
  }
  if (!t.entities.empty()) {
    Json entities = Json::array();
    for (const auto& e : t.entities)
      entities.push_back({{"type", e.type}, {"text", e.text}, {"start", rounded(e.start)}, {"end", rounded(e.end)},
                          {"speaker", e.speaker}});
    out["entities"] = std::move(entities);
  }
  if (t.sentiment) out["sentiment"] = sentiment_json(*t.sentiment);
}

}  // namespace vox::json_support
