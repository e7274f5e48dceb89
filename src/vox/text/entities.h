// People, organisations and places in a written transcript, from gazetteers built out of Debian
// data (WordNet's noun.person / noun.location / noun.group instances, iso-codes countries and
// subdivisions, tzdata city names, a cased word list) and context rules ("mister"/"doctor" before
// people, "in"/"at"/"from" before places, "university"/"company"/"inc" around organisations).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "vox/core/error.h"
#include "vox/format/transcript.h"

namespace vox {

struct EntityDataPaths {
  std::string wordnet_dir = "/usr/share/wordnet";              // wordnet-base: data.noun, index.noun
  std::string iso_codes_dir = "/usr/share/iso-codes/json";     // iso-codes: iso_3166-1.json, iso_3166-2.json
  std::string zone_table = "/usr/share/zoneinfo/zone1970.tab";  // tzdata: Area/City names
  std::string cased_words = "/usr/share/dict/american-english-huge";  // wamerican-huge
};

class EntityFinder {
 public:
  virtual ~EntityFinder() = default;
  // kUnavailable names a missing data file and the Debian package that ships it.
  static Result<std::unique_ptr<EntityFinder>> load(const EntityDataPaths& paths);

  // `words`: the final written words in time order (capitals, marks, numerals). Returns the
  // person, organization and location entities in time order; each takes the start of its first
  // word and the end of its last, never spans two speakers, and its text has no trailing mark.
  // Safe to call from several threads at once.
  virtual std::vector<Entity> find(const std::vector<Word>& words) const = 0;
};

}  // namespace vox
