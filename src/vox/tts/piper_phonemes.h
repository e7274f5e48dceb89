// Text -> phoneme ids exactly as Piper (piper-phonemize) does it, split so that everything but
// the espeak-ng call is a pure function the unit tests can check without espeak.
//
// Piper's pipeline, per sentence: espeak-ng IPA phonemes of each clause, NFD-normalised, with the
// clause's punctuation appended ("." "?" "!" alone; "," ":" ";" followed by a space), then
// phonemes_to_ids. Debian's espeak-ng lacks Piper's espeak_TextToPhonemesWithTerminator, so the
// clause punctuation is recovered from the text espeak consumed (clause_punctuation below).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vox/core/error.h"

namespace vox {

// One code point -> one or more model ids (the config's phoneme_id_map).
using PhonemeIdMap = std::unordered_map<char32_t, std::vector<std::int64_t>>;

inline constexpr char32_t kPiperPad = U'_';  // between every two phonemes
inline constexpr char32_t kPiperBos = U'^';  // beginning of sentence
inline constexpr char32_t kPiperEos = U'$';  // end of sentence

// Code points of UTF-8 text; malformed bytes are skipped (input was validated upstream and
// espeak-ng writes valid UTF-8, so this only guards against surprises).
std::u32string utf8_codepoints(std::string_view utf8);
std::string codepoints_to_utf8(std::u32string_view codepoints);

// Canonical decomposition (Unicode NFD) of the precomposed Latin letters U+00C0..U+017F, e.g.
// "ç" -> "c" + U+0327, the only precomposed letters espeak-ng's IPA output contains in practice
// (ç, ä, ...). Other code points pass through; marks are not reordered (espeak never stacks them).
std::u32string decompose_nfd(std::u32string_view codepoints);

// Piper's phonemes_to_ids with interspersed padding: ids(^) ids(_), then ids(p) ids(_) for every
// phoneme p, then ids($). Code points missing from the map are skipped (Piper logs and skips
// them); *missing, when given, receives how many were.
std::vector<std::int64_t> phonemes_to_ids(std::u32string_view phonemes, const PhonemeIdMap& map,
                                          std::size_t* missing = nullptr);

// The punctuation phonemes Piper appends after a clause, given the text espeak-ng consumed for
// it: U"." U"?" U"!" for a clause ending in that mark, U", " U": " U"; " for the pausing ones,
// U"" otherwise. A mark counts when whitespace, the end, or closing quotes/brackets follow it
// (espeak reads one character past a clause, so the consumed span may end inside the next word).
std::u32string clause_punctuation(std::string_view consumed);

// "Text" phoneme type voices: the sentence's code points, ASCII/Latin-1 lower-cased (Piper
// case-folds) and decomposed.
std::u32string text_phonemes(std::string_view sentence);

// The espeak-ng IPA phonemes of one sentence as Piper feeds them to phonemes_to_ids, for the
// espeak voice `espeak_voice` (e.g. "en-us"). Runs under EspeakRuntime's lock.
// kUnavailable when espeak-ng cannot load or has no such voice.
Result<std::u32string> espeak_phonemes(std::string_view sentence, const std::string& espeak_voice);

}  // namespace vox
