#include "vox/jobs/transcript_codec.h"

#include <nlohmann/json.hpp>

namespace vox::jobs {

namespace {

using Json = nlohmann::json;

Json word_json(const Word& w) {
  return {{"text", w.text}, {"start", w.start}, {"end", w.end}, {"confidence", w.confidence}, {"speaker", w.speaker}};
}

// Missing keys keep the struct's defaults, so older entries stay readable if fields are added.
template <class T>
void read(const Json& j, const char* key, T& out) {
  if (auto it = j.find(key); it != j.end() && !it->is_null()) out = it->get<T>();
}

Json sentiment_json(const Sentiment& s) { return {{"label", s.label}, {"score", s.score}}; }

Sentiment read_sentiment(const Json& j) {
  Sentiment s;
  read(j, "label", s.label);
  read(j, "score", s.score);
  return s;
}

}  // namespace

std::string encode_transcript(const Transcript& t) {
  Json segments = Json::array();
  for (const auto& s : t.segments) {
    Json words = Json::array();
    for (const auto& w : s.words) words.push_back(word_json(w));
    segments.push_back({{"id", s.id}, {"start", s.start}, {"end", s.end}, {"text", s.text}, {"speaker", s.speaker},
                        {"avg_logprob", s.avg_logprob}, {"no_speech_prob", s.no_speech_prob},
                        {"compression_ratio", s.compression_ratio}, {"words", words}});
  }
  Json j = {{"codec", 1},         {"language", t.language}, {"duration", t.duration}, {"text", t.text},
            {"engine", t.engine}, {"diarized", t.diarized},  {"segments", segments}};
  // The text stage's results, so a re-rendered job shows what the request asked for.
  if (!t.paragraphs.empty()) {
    Json paragraphs = Json::array();
    for (const auto& p : t.paragraphs) {
      Json sentences = Json::array();
      for (const auto& s : p.sentences) sentences.push_back({{"start", s.start}, {"end", s.end}, {"text", s.text}});
      Json pj = {{"start", p.start}, {"end", p.end}, {"speaker", p.speaker}, {"text", p.text}, {"sentences", sentences}};
      if (p.sentiment) pj["sentiment"] = sentiment_json(*p.sentiment);
      paragraphs.push_back(std::move(pj));
    }
    j["paragraphs"] = std::move(paragraphs);
  }
  if (!t.entities.empty()) {
    Json entities = Json::array();
    for (const auto& e : t.entities)
      entities.push_back({{"type", e.type}, {"text", e.text}, {"start", e.start}, {"end", e.end}, {"speaker", e.speaker}});
    j["entities"] = std::move(entities);
  }
  if (t.sentiment) j["sentiment"] = sentiment_json(*t.sentiment);
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<Transcript> decode_transcript(const std::string& text) {
  Json j = Json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("segments")) return Error(ErrorCode::kInternal, "the stored job result is not a transcript");
  Transcript t;
  try {  // get<T>() throws on a type mismatch; nothing may escape libvox
    read(j, "language", t.language);
    read(j, "duration", t.duration);
    read(j, "text", t.text);
    read(j, "engine", t.engine);
    read(j, "diarized", t.diarized);
    for (const auto& sj : j["segments"]) {
      Segment s;
      read(sj, "id", s.id);
      read(sj, "start", s.start);
      read(sj, "end", s.end);
      read(sj, "text", s.text);
      read(sj, "speaker", s.speaker);
      read(sj, "avg_logprob", s.avg_logprob);
      read(sj, "no_speech_prob", s.no_speech_prob);
      read(sj, "compression_ratio", s.compression_ratio);
      if (auto w = sj.find("words"); w != sj.end() && w->is_array()) {
        for (const auto& wj : *w) {
          Word word;
          read(wj, "text", word.text);
          read(wj, "start", word.start);
          read(wj, "end", word.end);
          read(wj, "confidence", word.confidence);
          read(wj, "speaker", word.speaker);
          s.words.push_back(std::move(word));
        }
      }
      t.segments.push_back(std::move(s));
    }
    if (auto ps = j.find("paragraphs"); ps != j.end() && ps->is_array()) {
      for (const auto& pj : *ps) {
        Paragraph p;
        read(pj, "start", p.start);
        read(pj, "end", p.end);
        read(pj, "speaker", p.speaker);
        read(pj, "text", p.text);
        if (auto ss = pj.find("sentences"); ss != pj.end() && ss->is_array()) {
          for (const auto& sj : *ss) {
            Sentence s;
            read(sj, "start", s.start);
            read(sj, "end", s.end);
            read(sj, "text", s.text);
            p.sentences.push_back(std::move(s));
          }
        }
        if (auto sj = pj.find("sentiment"); sj != pj.end() && sj->is_object()) p.sentiment = read_sentiment(*sj);
        t.paragraphs.push_back(std::move(p));
      }
    }
    if (auto es = j.find("entities"); es != j.end() && es->is_array()) {
      for (const auto& ej : *es) {
        Entity e;
        read(ej, "type", e.type);
        read(ej, "text", e.text);
        read(ej, "start", e.start);
        read(ej, "end", e.end);
        read(ej, "speaker", e.speaker);
        t.entities.push_back(std::move(e));
      }
    }
    if (auto sj = j.find("sentiment"); sj != j.end() && sj->is_object()) t.sentiment = read_sentiment(*sj);
  } catch (const Json::exception& e) {
    return Error(ErrorCode::kInternal, std::string("the stored job result is malformed: ") + e.what());
  }
  return t;
}

}  // namespace vox::jobs
