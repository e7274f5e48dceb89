#include "vox/text/entity_gazetteer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace vox::entity_detail {

namespace {

// English function words, auxiliaries, interjections: never a name on their own, wherever they
// stand (WordNet has no function words, so they are listed here).
constexpr const char* kFunctionWords[] = {
    "a", "about", "above", "across", "after", "again", "against", "ago", "all", "almost", "along",
    "already", "also", "although", "always", "am", "among", "an", "and", "another", "any",
    "anybody", "anyone", "anything", "anyway", "are", "around", "as", "at", "away", "back", "be",
    "because", "been", "before", "behind", "being", "below", "beside", "besides", "between",
    "beyond", "both", "but", "by", "can", "cannot", "could", "did", "do", "does", "doing", "done",
    "down", "during", "each", "either", "else", "enough", "even", "ever", "every", "everybody",
    "everyone", "everything", "few", "for", "from", "had", "has", "have", "having", "he", "her",
    "here", "hers", "herself", "him", "himself", "his", "how", "however", "i", "if", "in", "into",
    "is", "it", "its", "itself", "just", "least", "less", "let", "like", "many", "may", "me",
    "might", "mine", "more", "most", "much", "must", "my", "myself", "neither", "never", "no",
    "nobody", "none", "nor", "not", "nothing", "now", "of", "off", "often", "on", "once", "one",
    "only", "onto", "or", "other", "others", "our", "ours", "ourselves", "out", "over", "own",
    "per", "perhaps", "please", "quite", "rather", "really", "same", "shall", "she", "should",
    "since", "so", "some", "somebody", "someone", "something", "sometimes", "soon", "still",
    "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there",
    "therefore", "these", "they", "this", "those", "though", "through", "thus", "till", "to",
    "today", "together", "tomorrow", "tonight", "too", "toward", "towards", "under", "unless",
    "until", "up", "upon", "us", "very", "via", "was", "we", "well", "were", "what", "whatever",
    "when", "whenever", "where", "wherever", "whether", "which", "while", "who", "whoever", "whom",
    "whose", "why", "will", "with", "within", "without", "would", "yes", "yet", "you", "your",
    "yours", "yourself", "yourselves", "yesterday", "oh", "ah", "hey", "hi", "hello", "okay", "ok",
    "yeah", "yep", "nope", "thanks", "thank", "sure", "right", "alright", "wow", "um", "uh", "hmm",
    "bye", "goodbye", "dear", "sorry", "god", "mom", "dad", "mum", "mommy", "daddy", "grandma",
    "grandpa", "sir", "madam", "ma'am", "guys", "folks", "everybody", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "june", "july", "august", "september", "october", "november", "december", "christmas",
    "easter", "internet", "web", "english", "spanish", "french", "german", "american", "british",
    "chinese", "japanese", "russian", "italian", "indian", "european", "african", "asian",
    "canadian", "mexican", "dutch", "irish", "scottish", "welsh", "portuguese", "greek", "arabic",
    "korean", "christian", "muslim", "jewish", "catholic", "democrat", "democrats", "republican",
    "republicans", "mr", "mrs", "ms", "dr", "i'm", "i'll", "i've", "i'd", "im", "ill", "ive"};

// Given names frequent in the US today (WordNet's famous people are mostly historical).
constexpr const char* kFirstNames[] = {
    "aaron", "adam", "adrian", "aiden", "alex", "alexander", "alexis", "alice", "alicia", "alison",
    "allison", "amanda", "amber", "amy", "andrea", "andrew", "angela", "anna", "anne", "anthony",
    "antonio", "ashley", "austin", "barbara", "benjamin", "beth", "betty", "beverly", "bradley",
    "brandon", "brenda", "brian", "brittany", "bruce", "bryan", "caleb", "cameron", "carlos",
    "carol", "caroline", "carolyn", "catherine", "charles", "charlotte", "cheryl", "chloe",
    "chris", "christina", "christine", "christopher", "cindy", "claire", "connor", "courtney",
    "cynthia", "daniel", "danielle", "david", "deborah", "debra", "denise", "dennis", "diana",
    "diane", "donald", "donna", "dorothy", "dylan", "edward", "elijah", "elizabeth", "ella",
    "emily", "emma", "eric", "ethan", "eugene", "evelyn", "frances", "gabriel", "gary", "george",
    "gloria", "gregory", "hannah", "harold", "heather", "helen", "henry", "isaac", "isabella",
    "jacob", "jacqueline", "james", "jamie", "janet", "janice", "jason", "jeffrey", "jennifer",
    "jeremy", "jerry", "jesse", "jessica", "joan", "joe", "john", "jonathan", "jordan", "jose",
    "joseph", "joshua", "joyce", "juan", "judith", "judy", "julia", "julie", "justin", "karen",
    "katherine", "kathleen", "kathryn", "kayla", "keith", "kelly", "kenneth", "kevin", "kimberly",
    "kyle", "larry", "laura", "lauren", "lawrence", "leah", "linda", "lisa", "logan", "lucas",
    "luis", "madison", "margaret", "maria", "marie", "marilyn", "martha", "mary", "mason",
    "matthew", "megan", "melissa", "michael", "michelle", "mila", "nancy", "natalie", "nathan",
    "nicholas", "nicole", "noah", "oliver", "olivia", "pamela", "patricia", "patrick", "paul",
    "peter", "philip", "rachel", "ralph", "raymond", "rebecca", "richard", "robert", "roger",
    "ronald", "ruth", "ryan", "samantha", "samuel", "sandra", "sara", "sarah", "scott", "sean",
    "sharon", "shirley", "sophia", "stephanie", "stephen", "steven", "susan", "teresa", "theresa",
    "thomas", "timothy", "tyler", "victoria", "vincent", "virginia", "walter", "wayne", "william",
    "zachary", "ahmed", "ali", "mohammed", "muhammad", "priya", "raj", "wei", "yuki", "hiroshi",
    "olga", "ivan", "sergei", "pierre", "hans", "giovanni", "carmen", "sofia", "lucia", "mateo",
    "tom", "tim", "jim", "bob", "bill", "will", "mike", "dave", "steve", "dan", "ben", "sam", "max",
    "nick", "tony", "jack", "harry", "charlie", "kate", "katie", "liz", "jenny", "sue", "meg",
    "barack", "joe", "donald", "hillary", "elon", "jeff", "tim", "satya", "sundar", "mark"};

// Organisations speech often names that WordNet (2006) lacks.
constexpr const char* kKnownOrgs[] = {
    "Microsoft", "Google", "Alphabet", "Apple", "Amazon", "Meta", "Facebook", "Instagram",
    "WhatsApp", "Twitter", "YouTube", "Netflix", "Tesla", "SpaceX", "OpenAI", "Nvidia", "Intel",
    "AMD", "IBM", "Oracle", "Cisco", "Samsung", "Sony", "Panasonic", "Toshiba", "Nintendo",
    "Huawei", "Xiaomi", "Alibaba", "Tencent", "Baidu", "Uber", "Lyft", "Airbnb", "PayPal", "eBay",
    "Spotify", "Adobe", "Salesforce", "Dell", "HP", "Lenovo", "Qualcomm", "LinkedIn", "TikTok",
    "Snapchat", "Zoom", "Slack", "Dropbox", "Reddit", "Wikipedia", "Mozilla", "Boeing", "Airbus",
    "Lockheed Martin", "General Motors", "General Electric", "Ford Motor", "Toyota", "Honda",
    "Nissan", "Volkswagen", "BMW", "Mercedes", "Mercedes-Benz", "Audi", "Porsche", "Ferrari",
    "Hyundai", "Kia", "Walmart", "Target", "Costco", "Starbucks", "McDonald's", "McDonalds",
    "Coca-Cola", "Pepsi", "PepsiCo", "Nestle", "Unilever", "Procter & Gamble", "Procter and Gamble",
    "Johnson & Johnson", "Johnson and Johnson", "Pfizer", "Moderna", "AstraZeneca", "Novartis",
    "Merck", "Bayer", "Siemens", "Philips", "Nokia", "Ericsson", "Vodafone", "Verizon", "AT&T",
    "Comcast", "Disney", "Warner Bros", "Paramount", "Universal", "BBC", "CNN", "NBC", "CBS", "ABC",
    "Fox News", "Reuters", "Bloomberg", "JPMorgan", "JP Morgan", "Goldman Sachs", "Morgan Stanley",
    "Citigroup", "Citibank", "Wells Fargo", "Bank of America", "HSBC", "Barclays", "Visa",
    "Mastercard", "American Express", "Berkshire Hathaway", "ExxonMobil", "Exxon", "Chevron",
    "Shell", "BP", "FedEx", "UPS", "DHL", "Delta", "Lufthansa", "Emirates", "Ryanair",
    "NASA", "FBI", "CIA", "NSA", "IRS", "EPA", "FDA", "CDC", "NATO", "UNESCO", "UNICEF", "OPEC",
    "WTO", "IMF", "World Bank", "European Union", "EU", "United Nations", "UN", "Red Cross",
    "Greenpeace", "Interpol", "Pentagon", "Congress", "Senate", "Parliament", "Harvard", "Yale",
    "Stanford", "Princeton", "MIT", "Caltech", "Berkeley", "Cambridge University",
    "Oxford University", "Texas Instruments", "Tata", "Infosys", "Accenture", "Deloitte", "KPMG",
    "PwC", "McKinsey", "IKEA", "Nike", "Adidas", "Puma", "Lego", "Mattel", "Hasbro"};

// Everyday names of countries and continents that iso-codes spells otherwise (or not at all).
constexpr const char* kCountryAliases[] = {
    "America", "USA", "U.S.A.", "US", "U.S.", "United States", "United States of America", "UK",
    "U.K.", "Britain", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland",
    "Russia", "South Korea", "North Korea", "Korea", "Iran", "Syria", "Vietnam", "Laos", "Taiwan",
    "Bolivia", "Venezuela", "Tanzania", "Moldova", "Czech Republic", "Czechia", "Holland",
    "Netherlands", "Ivory Coast", "Micronesia", "Palestine", "Vatican", "Macedonia", "Kosovo",
    "Hong Kong", "Macau", "Europe", "Asia", "Africa", "Antarctica", "Australia", "North America",
    "South America", "Latin America", "Central America", "Middle East", "Scandinavia",
    "Caribbean", "Siberia", "Congo", "Brunei", "Turkey", "Cape Verde", "Swaziland", "Burma",
    "East Timor", "Gambia", "Bahamas", "Philippines", "UAE", "Dubai", "Abu Dhabi"};

// iso-codes 3166-2 subdivision types that are large and well known.
bool major_subdivision(const std::string& type) {
  static const std::unordered_set<std::string> major = {
      "State", "Province", "Region", "Country", "Nation", "Territory", "Autonomous region",
      "Autonomous republic", "Autonomous community", "Federal district", "Capital district",
      "Capital territory", "Land", "Canton", "Emirate", "Prefecture", "Republic",
      "Metropolitan region", "Outlying area", "Autonomous province", "Special administrative region",
      "Federal territory", "Capital city", "Capital", "Island", "Islands"};
  return major.count(type) > 0;
}

Result<std::string> read_all(const std::string& path, const char* package) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error(ErrorCode::kUnavailable,
                 "entity data " + path + " is missing (Debian package " + package + ")");
  std::string s;
  in.seekg(0, std::ios::end);
  auto size = in.tellg();
  if (size > 0) {
    s.resize(static_cast<size_t>(size));
    in.seekg(0);
    in.read(s.data(), size);
    if (!in) return Error(ErrorCode::kUnavailable, "cannot read entity data " + path + " (" + package + ")");
  }
  return s;
}

// Words of a name as written (spaces or underscores between them).
std::vector<std::string_view> split_name(std::string_view name) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < name.size()) {
    while (i < name.size() && (name[i] == ' ' || name[i] == '_')) ++i;
    size_t j = i;
    while (j < name.size() && name[j] != ' ' && name[j] != '_') ++j;
    if (j > i) out.push_back(name.substr(i, j - i));
    i = j;
  }
  return out;
}

class Builder {
 public:
  explicit Builder(Gazetteer& g) : g_(g) {}

  void add(std::string_view name, uint16_t source) {
    auto words = split_name(name);
    if (words.empty()) return;
    std::string key;
    for (auto w : words) {
      std::string k = word_key(w);
      if (k.empty()) return;
      if (!key.empty()) key += ' ';
      key += k;
    }
    g_.names[key] |= source;
    g_.max_words = std::max(g_.max_words, words.size());
  }

 private:
  Gazetteer& g_;
};

bool is_upper_start(std::string_view w) {
  if (w.empty()) return false;
  auto c = static_cast<unsigned char>(w[0]);
  if (c >= 'A' && c <= 'Z') return true;
  return c == 0xC3 && w.size() > 1 && static_cast<unsigned char>(w[1]) >= 0x80 &&
         static_cast<unsigned char>(w[1]) <= 0x9E;
}

// One WordNet data file: every synset line "offset lexfile pos w_cnt lemma lex_id ... ptrs | gloss".
// `on_synset` gets the lexfile number, the lemmas and the line (for its pointers).
template <class F>
void scan_wordnet(const std::string& text, F&& on_synset) {
  std::vector<std::string_view> lemmas;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string_view line(text.data() + pos, eol - pos);
    pos = eol + 1;
    if (line.size() < 20 || line[0] == ' ') continue;  // licence header lines start with spaces
    // offset(8) ' ' lexfile(2) ' ' pos(1) ' ' w_cnt(2 hex) ' '
    if (line[8] != ' ' || line[11] != ' ') continue;
    int lexfile = (line[9] - '0') * 10 + (line[10] - '0');
    size_t p = 12;
    size_t sp = line.find(' ', p);  // after ss_type
    if (sp == std::string_view::npos) continue;
    p = sp + 1;
    sp = line.find(' ', p);
    if (sp == std::string_view::npos) continue;
    unsigned w_cnt = 0;
    for (size_t k = p; k < sp; ++k) {
      char c = line[k];
      w_cnt = w_cnt * 16 + static_cast<unsigned>(c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0');
    }
    p = sp + 1;
    lemmas.clear();
    for (unsigned i = 0; i < w_cnt; ++i) {
      sp = line.find(' ', p);
      if (sp == std::string_view::npos) break;
      std::string_view lemma = line.substr(p, sp - p);
      if (auto paren = lemma.find('('); paren != std::string_view::npos) lemma = lemma.substr(0, paren);  // adj (a)
      lemmas.push_back(lemma);
      p = sp + 1;
      sp = line.find(' ', p);  // lex_id
      if (sp == std::string_view::npos) break;
      p = sp + 1;
    }
    on_synset(lexfile, lemmas, line.substr(std::min(p, line.size())));
  }
}

Status load_wordnet(const std::string& dir, Gazetteer& g, std::unordered_map<std::string, int>& first_counts) {
  Builder b(g);
  std::unordered_map<std::string, int> noun_senses;
  for (const char* part : {"noun", "verb", "adj", "adv"}) {
    auto text = read_all(dir + "/data." + part, "wordnet-base");
    if (!text) return text.error();
    const bool noun = std::strcmp(part, "noun") == 0;
    scan_wordnet(*text, [&](int lexfile, const std::vector<std::string_view>& lemmas, std::string_view rest) {
      for (auto lemma : lemmas) {
        if (lemma.empty()) continue;
        if (!is_upper_start(lemma)) {
          if (lemma.find('_') != std::string_view::npos) continue;
          std::string k(lemma);
          if (noun) {
            ++noun_senses[k];
          } else {
            g.very_common.insert(k);
          }
          g.common.insert(std::move(k));
          continue;
        }
        if (!noun) continue;
        // Proper nouns: instances (@i) of people, places and groups; capitalised multi-word
        // groups whose last word is capitalised too (World_Health_Organization, Liberal_Party,
        // not Greek_mythology).
        const bool instance = rest.find(" @i ") != std::string_view::npos;
        if (lexfile == 18 && instance) {
          b.add(lemma, kWordnetPerson);
          auto words = split_name(lemma);
          if (words.size() >= 2) ++first_counts[std::string(words[0])];
        } else if (lexfile == 15 && instance) {
          b.add(lemma, kWordnetPlace);
        } else if (lexfile == 14) {
          auto words = split_name(lemma);
          if (instance ? true : words.size() >= 2 && is_upper_start(words.back())) b.add(lemma, kWordnetOrg);
        }
      }
    });
  }
  for (auto& [w, n] : noun_senses)
    if (n >= 3) g.very_common.insert(w);
  return Status::Ok();
}

Status load_iso_codes(const std::string& dir, Gazetteer& g) {
  Builder b(g);
  auto clean = [](std::string s) {
    if (auto p = s.find(" ("); p != std::string::npos) s.erase(p);
    if (auto p = s.find(','); p != std::string::npos) s.erase(p);  // "Korea, Republic of" -> "Korea"
    return s;
  };
  for (const char* file : {"iso_3166-1.json", "iso_3166-2.json"}) {
    const std::string path = dir + "/" + file;
    auto text = read_all(path, "iso-codes");
    if (!text) return text.error();
    try {
      auto j = nlohmann::json::parse(*text);
      const bool countries = std::strcmp(file, "iso_3166-1.json") == 0;
      const auto& list = j.at(countries ? "3166-1" : "3166-2");
      for (const auto& e : list) {
        if (countries) {
          for (const char* field : {"name", "common_name", "official_name"})
            if (e.contains(field)) b.add(clean(e.at(field).get<std::string>()), kCountry);
          continue;
        }
        std::string name = clean(e.value("name", std::string()));
        auto words = split_name(name);
        // A one-word subdivision that is an English word ("Central", "Capital") is not kept.
        if (words.empty() || (words.size() == 1 && g.common.count(word_key(words[0])))) continue;
        b.add(name, major_subdivision(e.value("type", std::string())) ? kRegion : kMinorPlace);
      }
    } catch (const std::exception& ex) {
      return Error(ErrorCode::kUnavailable, "cannot parse entity data " + path + " (iso-codes): " + ex.what());
    }
  }
  return Status::Ok();
}

Status load_zones(const std::string& path, Gazetteer& g) {
  auto text = read_all(path, "tzdata");
  if (!text) return text.error();
  Builder b(g);
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    // codes \t coordinates \t TZ [\t comments]
    auto t1 = line.find('\t');
    auto t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string::npos) continue;
    auto t3 = line.find('\t', t2 + 1);
    std::string tz = line.substr(t2 + 1, t3 == std::string::npos ? std::string::npos : t3 - t2 - 1);
    if (tz.rfind("Antarctica/", 0) == 0 || tz.rfind("Etc/", 0) == 0) continue;  // stations: Casey, Davis
    auto slash = tz.rfind('/');
    if (slash == std::string::npos) continue;
    b.add(tz.substr(slash + 1), kCity);
  }
  return Status::Ok();
}

Status load_cased(const std::string& path, Gazetteer& g) {
  auto text = read_all(path, "wamerican-huge");
  if (!text) return text.error();
  g.cased_buffer = std::make_unique<std::string>(std::move(*text));
  const std::string& s = *g.cased_buffer;
  g.cased.reserve(s.size() / 9);
  size_t pos = 0;
  while (pos < s.size()) {
    size_t eol = s.find('\n', pos);
    if (eol == std::string::npos) eol = s.size();
    std::string_view w(s.data() + pos, eol - pos);
    if (!w.empty() && !w.ends_with("'s")) g.cased.insert(w);  // possessives: a fifth of the list
    pos = eol + 1;
  }
  return Status::Ok();
}

}  // namespace

std::string word_key(std::string_view word) {
  std::string k;
  k.reserve(word.size());
  for (size_t i = 0; i < word.size(); ++i) {
    auto c = static_cast<unsigned char>(word[i]);
    if (c == '.') continue;
    if (c >= 'A' && c <= 'Z') {
      k += static_cast<char>(c + 32);
    } else if (c == 0xC3 && i + 1 < word.size() && static_cast<unsigned char>(word[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(word[i + 1]) <= 0x9E && static_cast<unsigned char>(word[i + 1]) != 0x97) {
      k += static_cast<char>(c);
      k += static_cast<char>(static_cast<unsigned char>(word[i + 1]) + 0x20);
      ++i;
    } else if (c == 0xE2 && i + 2 < word.size() && static_cast<unsigned char>(word[i + 1]) == 0x80 &&
               static_cast<unsigned char>(word[i + 2]) == 0x99) {
      k += '\'';  // ’
      i += 2;
    } else {
      k += static_cast<char>(c);
    }
  }
  return k;
}

bool is_function_word(const std::string& key) {
  static const std::unordered_set<std::string> words(std::begin(kFunctionWords), std::end(kFunctionWords));
  return words.count(key) > 0;
}

Result<std::unique_ptr<Gazetteer>> load_gazetteer(const EntityDataPaths& paths) {
  auto g = std::make_unique<Gazetteer>();
  g->names.reserve(40000);
  g->common.reserve(160000);
  g->very_common.reserve(60000);
  for (const char* w : kFunctionWords) {
    g->common.insert(w);
    g->very_common.insert(w);
  }
  std::unordered_map<std::string, int> first_counts;
  if (auto s = load_wordnet(paths.wordnet_dir, *g, first_counts); !s) return s.error();
  if (auto s = load_iso_codes(paths.iso_codes_dir, *g); !s) return s.error();
  if (auto s = load_zones(paths.zone_table, *g); !s) return s.error();
  if (auto s = load_cased(paths.cased_words, *g); !s) return s.error();

  Builder b(*g);
  for (const char* n : kKnownOrgs) b.add(n, kKnownOrg);
  for (const char* n : kCountryAliases) b.add(n, kCountry);
  for (const char* n : kFirstNames) b.add(n, kFirstName);
  // WordNet's "First Last" people give historical given names; titles and particles are not.
  static const std::unordered_set<std::string> not_names = {
      "sir", "st", "saint", "president", "baron", "baroness", "first", "second", "prince", "princess",
      "king", "queen", "duke", "dame", "lord", "lady", "captain", "count", "countess", "czar", "tsar",
      "mother", "father", "uncle", "aunt", "little", "pope", "general", "admiral", "emperor",
      "empress", "marquis", "earl", "brother", "sister", "big", "old", "young", "great", "van", "von",
      "de", "le", "la", "el", "al", "du", "da", "del", "di", "the", "jupiter", "black", "red", "white",
      "mrs", "mr", "dr", "lord", "bishop", "cardinal", "chief", "don", "doctor", "herr", "mahatma",
      "maid", "mata", "el", "ibn", "abu", "bin"};
  for (const auto& [w, n] : first_counts) {
    if (n < 2 || w.size() < 2) continue;
    std::string k = word_key(w);
    if (not_names.count(k) || is_function_word(k)) continue;
    if (!std::all_of(w.begin() + 1, w.end(), [](char c) { return c >= 'a' && c <= 'z'; })) continue;
    b.add(w, kFirstName);
  }
  return g;
}

}  // namespace vox::entity_detail
