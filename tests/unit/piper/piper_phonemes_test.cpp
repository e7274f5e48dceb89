// Piper's phoneme -> id mapping and the pieces around it (no model, espeak only where named).
#include <gtest/gtest.h>

#include "vox/tts/piper_phonemes.h"

namespace vox {
namespace {

using Ids = std::vector<std::int64_t>;

PhonemeIdMap small_map() {
  return {{U'_', {0}}, {U'^', {1}}, {U'$', {2}}, {U' ', {3}}, {U'a', {10}}, {U'b', {11}},
          {U'ə', {59}}, {U'ˈ', {120}}, {U'\u0303', {141}}, {U'x', {20, 21}}};
}

TEST(PiperIds, BosPadAfterEveryPhonemeEos) {
  // Piper: ^ _ then (phoneme _)* then $.
  EXPECT_EQ(phonemes_to_ids(U"ab", small_map()), (Ids{1, 0, 10, 0, 11, 0, 2}));
  EXPECT_EQ(phonemes_to_ids(U"a b", small_map()), (Ids{1, 0, 10, 0, 3, 0, 11, 0, 2}));
}

TEST(PiperIds, EmptyInputIsJustTheFrame) { EXPECT_EQ(phonemes_to_ids(U"", small_map()), (Ids{1, 0, 2})); }

TEST(PiperIds, UnknownCodepointsAreSkippedWithoutPad) {
  std::size_t missing = 99;
  EXPECT_EQ(phonemes_to_ids(U"aqzb", small_map(), &missing), (Ids{1, 0, 10, 0, 11, 0, 2}));
  EXPECT_EQ(missing, 2u);
  phonemes_to_ids(U"ab", small_map(), &missing);
  EXPECT_EQ(missing, 0u);
}

TEST(PiperIds, MultiIdPhonemesAndMultiByteIpa) {
  EXPECT_EQ(phonemes_to_ids(U"xˈə", small_map()), (Ids{1, 0, 20, 21, 0, 120, 0, 59, 0, 2}));
  // A combining mark is a phoneme of its own (Piper maps code points, not graphemes).
  EXPECT_EQ(phonemes_to_ids(U"a\u0303", small_map()), (Ids{1, 0, 10, 0, 141, 0, 2}));
}

TEST(PiperIds, MultiIdSpecialSymbols) {
  PhonemeIdMap map = small_map();
  map[U'_'] = {0, 7};
  map[U'^'] = {1, 8};
  EXPECT_EQ(phonemes_to_ids(U"a", map), (Ids{1, 8, 0, 7, 10, 0, 7, 2}));
}

TEST(PiperUtf8, DecodesAndEncodesEveryLength) {
  const std::string text = "a\xC9\x99\xCB\x88\xE2\x80\x9D\xF0\x9F\x98\x80";  // a ə ˈ ” 😀
  const std::u32string cps = utf8_codepoints(text);
  EXPECT_EQ(cps, (std::u32string{U'a', U'ə', U'ˈ', U'\u201D', U'\U0001F600'}));
  EXPECT_EQ(codepoints_to_utf8(cps), text);
  EXPECT_EQ(utf8_codepoints("a\xFF\xC9z"), U"az");  // malformed bytes are dropped
}

TEST(PiperNfd, DecomposesPrecomposedLatinLetters) {
  EXPECT_EQ(decompose_nfd(U"ç"), U"c\u0327");
  EXPECT_EQ(decompose_nfd(U"ä"), U"a\u0308");
  EXPECT_EQ(decompose_nfd(U"Ǎ"), U"Ǎ");  // outside the table's range: unchanged
  EXPECT_EQ(decompose_nfd(U"ɪç ŋ"), U"ɪc\u0327 ŋ");
  EXPECT_EQ(decompose_nfd(U"ő"), U"o\u030B");
}

TEST(PiperClauses, PunctuationOfTheConsumedText) {
  // What espeak-ng 1.51 consumes per clause: it reads one character into the next clause.
  EXPECT_EQ(clause_punctuation("Hello, w"), U", ");
  EXPECT_EQ(clause_punctuation("orld. H"), U".");
  EXPECT_EQ(clause_punctuation("ow are you? F"), U"?");
  EXPECT_EQ(clause_punctuation("ine!"), U"!");
  EXPECT_EQ(clause_punctuation(" Then: l"), U": ");
  EXPECT_EQ(clause_punctuation("eft; o"), U"; ");
  EXPECT_EQ(clause_punctuation("He said \"hi.\""), U".");
  EXPECT_EQ(clause_punctuation("k"), U"");
  EXPECT_EQ(clause_punctuation("pi is 3.14 or so"), U"");  // a decimal point is no clause end
  EXPECT_EQ(clause_punctuation("你好。"), U".");
}

TEST(PiperText, LowerCasesAndDecomposes) {
  EXPECT_EQ(text_phonemes("Abc Ç."), U"abc c\u0327.");
}

TEST(PiperEspeak, EnglishIpaWithClausePunctuation) {
  auto p = espeak_phonemes("Hello, world. How are you?", "en-us");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(codepoints_to_utf8(*p), "həlˈoʊ, wˈɜːld. hˈaʊ ɑːɹ juː?");
  auto trailing = espeak_phonemes("Hello.  ", "en-us");  // nothing after the last clause
  ASSERT_TRUE(trailing.ok());
  EXPECT_EQ(codepoints_to_utf8(*trailing), "həlˈoʊ.");
  auto again = espeak_phonemes("Hello world", "en-us");  // no state left over from the last call
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(codepoints_to_utf8(*again), "həlˈoʊ wˈɜːld");
}

TEST(PiperEspeak, GermanIsNfdDecomposed) {
  auto p = espeak_phonemes("Ich", "de");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(*p, U"ɪc\u0327");
}

TEST(PiperEspeak, UnknownVoiceIsUnavailable) {
  auto p = espeak_phonemes("Hello", "no-such-voice");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(p.error().message.find("no-such-voice"), std::string::npos);
}

}  // namespace
}  // namespace vox
