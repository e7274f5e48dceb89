// Replacements on the final words that keep word times: server-wide and per-request text rules,
// filler removal and the profanity filter.
#pragma once

#include <string_view>
#include <vector>

#include "vox/core/error.h"
#include "vox/format/transcript.h"
#include "vox/text/text_options.h"

namespace vox {

// A rules file: one rule per line, "from => to"; blank lines and lines starting with '#' are
// skipped. kInvalidArgument names the first bad line.
Result<std::vector<TextRule>> parse_text_rules(std::string_view text);
// A request's text_rules: a JSON list of {"from": "...", "to": "..."}.
Result<std::vector<TextRule>> parse_text_rules_json(std::string_view json);

// Each rule replaces the whole words of `from` (case-insensitive, ignoring the words' marks) with
// `to`. The replacement takes the start of the first matched word and the end of the last, the
// mark after the last and the capital of the first when it starts a sentence. A match never spans
// two speakers. Rules apply in order; an empty `to` deletes the words.
std::vector<Word> apply_text_rules(const std::vector<Word>& words, const std::vector<TextRule>& rules);

// Drops the fillers (um, uh, er, erm, hmm, mm, mhm, ah): a mark they carried moves to the word
// before them, a capital they had to the word after.
std::vector<Word> remove_fillers(const std::vector<Word>& words);

// Masks profanity in place, keeping the first letter and the marks: "fuck," -> "f***,".
void filter_profanity(std::vector<Word>& words);

}  // namespace vox
