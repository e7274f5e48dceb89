// The text stage: turns a transcript's recognised words into written text and finds paragraphs,
// entities and sentiment. It runs after words, times and speakers are merged, whatever the
// engine (engines never see it), so every output format, job, the CLI and the web page get it.
// Its data (language model, word lists, gazetteers, lexicon) loads on the first request that
// needs each part, once per process.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "vox/core/config.h"
#include "vox/core/error.h"
#include "vox/format/transcript.h"
#include "vox/text/entities.h"
#include "vox/text/paragraphs.h"
#include "vox/text/punctuator.h"
#include "vox/text/sentiment.h"
#include "vox/text/text_options.h"

namespace vox {

// One resource made on first use; its load error is kept and returned to every caller.
template <class T>
class LazyResource {
 public:
  template <class Load>
  Result<const T*> get(Load&& load) {
    std::call_once(once_, [&] {
      auto r = load();
      if (r) value_ = std::move(*r);
      else error_ = r.error();
    });
    if (!value_) return error_;
    return static_cast<const T*>(value_.get());
  }

 private:
  std::once_flag once_;
  std::unique_ptr<T> value_;
  Error error_;
};

class TextStage {
 public:
  // models_dir: where `vox models pull` installs models (MODELS_DIR), for --punctuation-model and
  // --ner-model given as model names; "" = the default one.
  TextStage(TextConfig config, std::string sphinx_model_dir, std::string models_dir = {});

  // Reads the server-wide rules file (--text-rules), so that a bad file stops a server at start;
  // the first transcription reads it otherwise.
  Status load_rules();

  // Rewrites `words` (time order, speakers assigned) as written text: fillers removed,
  // punctuation and capitals (unless the engine already writes text), numerals, the server's then
  // the request's rules, the profanity filter. Returns the values the numerals step formatted,
  // as entities (date, money, ...), for annotate().
  Result<std::vector<Entity>> write(std::vector<Word>& words, const TextOptions& options, bool engine_writes_text);

  // Adds paragraphs (detect_paragraphs or detect_sentiment), entities (detect_entities: the
  // formatted values and the people, organisations and places in the text) and sentiment to a
  // transcript whose segments hold the written words.
  Status annotate(Transcript& t, const TextOptions& options, std::vector<Entity> formatted);

 private:
  Result<const std::vector<TextRule>*> server_rules();

  TextConfig config_;
  std::string sphinx_model_dir_;
  std::string models_dir_;
  LazyResource<std::vector<TextRule>> rules_;
  LazyResource<Punctuator> punctuator_;
  LazyResource<EntityFinder> entities_;
  LazyResource<SentimentScorer> sentiment_;
};

// The transcript's words, segment by segment.
std::vector<Word> transcript_words(const Transcript& t);

}  // namespace vox
