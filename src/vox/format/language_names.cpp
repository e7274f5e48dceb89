// The table covers the languages Whisper-family models report, so names match OpenAI's output.
#include "vox/format/language_names.h"

#include <cctype>
#include <utility>

namespace vox {
namespace {

constexpr std::pair<std::string_view, std::string_view> kLanguages[] = {
    {"en", "english"},   {"zh", "chinese"},        {"de", "german"},        {"es", "spanish"},
    {"ru", "russian"},   {"ko", "korean"},         {"fr", "french"},        {"ja", "japanese"},
    {"pt", "portuguese"}, {"tr", "turkish"},       {"pl", "polish"},        {"ca", "catalan"},
    {"nl", "dutch"},     {"ar", "arabic"},         {"sv", "swedish"},       {"it", "italian"},
    {"id", "indonesian"}, {"hi", "hindi"},         {"fi", "finnish"},       {"vi", "vietnamese"},
    {"he", "hebrew"},    {"uk", "ukrainian"},      {"el", "greek"},         {"ms", "malay"},
    {"cs", "czech"},     {"ro", "romanian"},       {"da", "danish"},        {"hu", "hungarian"},
    {"ta", "tamil"},     {"no", "norwegian"},      {"th", "thai"},          {"ur", "urdu"},
    {"hr", "croatian"},  {"bg", "bulgarian"},      {"lt", "lithuanian"},    {"la", "latin"},
    {"mi", "maori"},     {"ml", "malayalam"},      {"cy", "welsh"},         {"sk", "slovak"},
    {"te", "telugu"},    {"fa", "persian"},        {"lv", "latvian"},       {"bn", "bengali"},
    {"sr", "serbian"},   {"az", "azerbaijani"},    {"sl", "slovenian"},     {"kn", "kannada"},
    {"et", "estonian"},  {"mk", "macedonian"},     {"br", "breton"},        {"eu", "basque"},
    {"is", "icelandic"}, {"hy", "armenian"},       {"ne", "nepali"},        {"mn", "mongolian"},
    {"bs", "bosnian"},   {"kk", "kazakh"},         {"sq", "albanian"},      {"sw", "swahili"},
    {"gl", "galician"},  {"mr", "marathi"},        {"pa", "punjabi"},       {"si", "sinhala"},
    {"km", "khmer"},     {"sn", "shona"},          {"yo", "yoruba"},        {"so", "somali"},
    {"af", "afrikaans"}, {"oc", "occitan"},        {"ka", "georgian"},      {"be", "belarusian"},
    {"tg", "tajik"},     {"sd", "sindhi"},         {"gu", "gujarati"},      {"am", "amharic"},
    {"yi", "yiddish"},   {"lo", "lao"},            {"uz", "uzbek"},         {"fo", "faroese"},
    {"ht", "haitian creole"}, {"ps", "pashto"},    {"tk", "turkmen"},       {"nn", "nynorsk"},
    {"mt", "maltese"},   {"sa", "sanskrit"},       {"lb", "luxembourgish"}, {"my", "myanmar"},
    {"bo", "tibetan"},   {"tl", "tagalog"},        {"mg", "malagasy"},      {"as", "assamese"},
    {"tt", "tatar"},     {"haw", "hawaiian"},      {"ln", "lingala"},       {"ha", "hausa"},
    {"ba", "bashkir"},   {"jw", "javanese"},       {"su", "sundanese"},     {"yue", "cantonese"},
};

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string language_full_name(std::string_view code) {
  std::string lower = lowercase(code);
  std::string base = lower.substr(0, lower.find_first_of("-_"));
  for (const auto& [iso, name] : kLanguages)
    if (base == iso || lower == name) return std::string(name);
  return lower;
}

}  // namespace vox
