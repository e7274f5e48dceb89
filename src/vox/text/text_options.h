// What the text stage does to one transcript: the request fields punctuate, numerals,
// detect_paragraphs, detect_entities, detect_sentiment, remove_fillers, profanity_filter and
// text_rules, as native values.
#pragma once

#include <string>
#include <vector>

namespace vox {

// Replace every occurrence of the words of `from` (whole words, case-insensitive, marks ignored)
// with `to`: a server rules file line "from => to", or a request's {"from", "to"}.
struct TextRule {
  std::string from;
  std::string to;
};

struct TextOptions {
  bool punctuate = true;           // sentences, marks and capitals (engines that write text keep theirs)
  bool numerals = true;            // "twenty five dollars" -> "$25"
  bool detect_paragraphs = false;  // Transcript::paragraphs
  bool detect_entities = false;    // Transcript::entities
  bool detect_sentiment = false;   // Transcript::sentiment and each paragraph's (implies paragraphs)
  bool remove_fillers = true;      // um, uh, er, ...
  bool profanity_filter = false;   // "f***"
  std::vector<TextRule> rules;     // this request's, applied after the server's
};

}  // namespace vox
