// Text rules: the server's rules file ("from => to" lines) and a request's JSON list, both parsed
// from the input, then applied (with filler removal and the profanity filter) to words made of the
// input's own tokens, so rules match.
#include <cstdint>

#include "fuzz_input.h"
#include "vox/text/text_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = vox::fuzz::as_view(data, size);
  auto from_file = vox::parse_text_rules(in);
  auto from_json = vox::parse_text_rules_json(in);

  std::vector<vox::Word> words;
  double t = 0;
  for (std::string_view token : vox::fuzz::split(in, ' ')) {
    if (words.size() >= 64) break;
    vox::Word w;
    w.text = std::string(token);
    w.start = t;
    w.end = t += 0.25;
    w.speaker = (words.size() / 5) % 2 ? "B" : "A";
    words.push_back(std::move(w));
  }
  std::vector<vox::TextRule> rules;
  if (from_file) rules = *from_file;
  if (from_json) rules.insert(rules.end(), from_json->begin(), from_json->end());
  auto out = vox::apply_text_rules(words, rules);
  out = vox::remove_fillers(out);
  vox::filter_profanity(out);
  for (const auto& w : out) VOX_FUZZ_CHECK(w.start <= w.end);
  return 0;
}
