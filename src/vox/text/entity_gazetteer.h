// Private to entities.cpp: the names EntityFinder looks up, built once from Debian data, and the
// word classes its rules need.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "vox/core/error.h"
#include "vox/text/entities.h"

namespace vox::entity_detail {

// Where a name comes from; one name may have several.
enum Source : uint16_t {
  kKnownOrg = 1 << 0,    // built-in list of well-known organisations (Microsoft, NASA, ...)
  kCountry = 1 << 1,     // iso-codes 3166-1 names, built-in aliases (UK, America), continents
  kRegion = 1 << 2,      // iso-codes 3166-2 states, provinces, regions, ...
  kCity = 1 << 3,        // tzdata Area/City names
  kWordnetPlace = 1 << 4,   // WordNet noun.location instances
  kWordnetPerson = 1 << 5,  // WordNet noun.person instances
  kFirstName = 1 << 6,      // given names (built-in list and WordNet's "First Last" people)
  kWordnetOrg = 1 << 7,     // WordNet noun.group instances and multi-word capitalised groups
  kMinorPlace = 1 << 8,     // iso-codes 3166-2 municipalities, districts, parishes, ...
};
constexpr uint16_t kPlaceSources = kCountry | kRegion | kCity | kWordnetPlace | kMinorPlace;
constexpr uint16_t kPersonSources = kWordnetPerson | kFirstName;
constexpr uint16_t kOrgSources = kKnownOrg | kWordnetOrg;

struct Gazetteer {
  // Key: the name's words lowercased, periods dropped, joined by one space ("new york", "st louis").
  std::unordered_map<std::string, uint16_t> names;
  size_t max_words = 1;
  // Lowercase lemmas of WordNet (any part of speech) and English function words: a capitalised
  // one at a sentence start is most likely that word ("Will", "Turkey", "Bill").
  std::unordered_set<std::string> common;
  // The subset that is frequent enough to be doubtful even capitalised mid-sentence: function
  // words, WordNet verbs, adjectives, adverbs and nouns with 3+ senses ("will", "bill", "mark").
  std::unordered_set<std::string> very_common;
  // The cased word list's words as written (the buffer they point into is kept).
  std::unique_ptr<std::string> cased_buffer;
  std::unordered_set<std::string_view> cased;
};

// Lowercase (ASCII and Latin-1 capitals in UTF-8), periods dropped: the key of one word.
std::string word_key(std::string_view word);

// English function words, interjections, months, days, nationalities: never a name alone.
bool is_function_word(const std::string& key);

Result<std::unique_ptr<Gazetteer>> load_gazetteer(const EntityDataPaths& paths);

}  // namespace vox::entity_detail
