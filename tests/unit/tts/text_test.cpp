// split_sentences, valid_utf8 and number words (text.h, number_words.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vox/tts/number_words.h"
#include "vox/tts/text.h"

namespace vox {
namespace {

std::vector<std::string> split(std::string_view text) {
  auto r = split_sentences(text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : std::vector<std::string>{};
}

using Sentences = std::vector<std::string>;

TEST(ValidUtf8, AcceptsWellFormedText) {
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8("plain ascii"));
  EXPECT_TRUE(valid_utf8("caf\xC3\xA9 \xE2\x82\xAC 5 \xF0\x9F\x98\x80"));  // é, €, emoji
  EXPECT_TRUE(valid_utf8("\xEF\xBF\xBF"));                                  // U+FFFF
  EXPECT_TRUE(valid_utf8("\xF4\x8F\xBF\xBF"));                              // U+10FFFF
}

TEST(ValidUtf8, RejectsMalformedText) {
  EXPECT_FALSE(valid_utf8("\xFF"));
  EXPECT_FALSE(valid_utf8("abc\x80"));                // stray continuation byte
  EXPECT_FALSE(valid_utf8("\xC3"));                   // truncated sequence
  EXPECT_FALSE(valid_utf8("\xC3\x28"));               // bad continuation
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));               // overlong '/'
  EXPECT_FALSE(valid_utf8("\xE0\x80\xAF"));           // overlong, three bytes
  EXPECT_FALSE(valid_utf8("\xF0\x80\x80\xAF"));       // overlong, four bytes
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));           // surrogate U+D800
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));       // U+110000
  EXPECT_FALSE(valid_utf8("\xF8\x88\x80\x80\x80"));   // five-byte form
}

TEST(CheckUtf8Input, NamesTheInputParam) {
  EXPECT_TRUE(check_utf8_input("hello").ok());
  const Status st = check_utf8_input("bad \xFE byte");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(st.error().param, "input");
}

TEST(SplitSentences, RejectsInvalidUtf8) {
  auto r = split_sentences("Hello. \xC3\x28 world.");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().param, "input");
}

TEST(SplitSentences, SplitsAtTerminatorsAndNewlines) {
  EXPECT_EQ(split("Hello there. How are you? Fine! Good; thanks"),
            (Sentences{"Hello there.", "How are you?", "Fine!", "Good;", "thanks"}));
  EXPECT_EQ(split("line one\nline two\n\n  line three  "), (Sentences{"line one", "line two", "line three"}));
  EXPECT_EQ(split("Wait... What?! Really?"), (Sentences{"Wait...", "What?!", "Really?"}));
}

TEST(SplitSentences, EmptyAndPunctuationOnlyGiveNothing) {
  EXPECT_TRUE(split("").empty());
  EXPECT_TRUE(split("   \n\t ").empty());
  EXPECT_TRUE(split(std::string(5000, '!')).empty());
  EXPECT_TRUE(split("... !!! ???").empty());
}

TEST(SplitSentences, KeepsClosingQuotesWithTheSentence) {
  EXPECT_EQ(split("He said \"stop.\" Then he left."), (Sentences{"He said \"stop.\"", "Then he left."}));
  EXPECT_EQ(split("(This is an aside.) Next."), (Sentences{"(This is an aside.)", "Next."}));
}

TEST(SplitSentences, DoesNotSplitAbbreviationsOrNumbers) {
  EXPECT_EQ(split("Mr. Smith met Dr. Jones at St. Mary's. They talked."),
            (Sentences{"Mr. Smith met Dr. Jones at St. Mary's.", "They talked."}));
  EXPECT_EQ(split("Bring fruit, e.g. apples, i.e. red ones. Done."),
            (Sentences{"Bring fruit, e.g. apples, i.e. red ones.", "Done."}));
  EXPECT_EQ(split("Pi is 3.14 roughly. Yes."), (Sentences{"Pi is 3.14 roughly.", "Yes."}));
  EXPECT_EQ(split("J. R. R. Tolkien wrote books. Many."), (Sentences{"J. R. R. Tolkien wrote books.", "Many."}));
  EXPECT_EQ(split("It costs approx. five dollars. Ok."), (Sentences{"It costs approx. five dollars.", "Ok."}));
  EXPECT_EQ(split("Visit example.com today. Bye."), (Sentences{"Visit example.com today.", "Bye."}));
}

TEST(SplitSentences, SplitsCjkPunctuation) {
  EXPECT_EQ(split("\xE4\xBD\xA0\xE5\xA5\xBD\xE3\x80\x82\xE5\x86\x8D\xE8\xA7\x81\xEF\xBC\x81"),
            (Sentences{"\xE4\xBD\xA0\xE5\xA5\xBD\xE3\x80\x82", "\xE5\x86\x8D\xE8\xA7\x81\xEF\xBC\x81"}));
}

TEST(SplitSentences, BreaksLongSentencesAtCommasThenSpaces) {
  std::string clause = "this clause has a few words in it";  // 34 bytes
  std::string text;
  for (int i = 0; i < 20; ++i) text += clause + (i == 19 ? "." : ", ");
  const auto pieces = split(text);
  ASSERT_GT(pieces.size(), 2u);
  std::string joined;
  for (const auto& p : pieces) {
    EXPECT_LE(p.size(), kMaxSentenceBytes);
    EXPECT_TRUE(p.ends_with(",") || p.ends_with(".")) << p;  // cut after a comma
    joined += (joined.empty() ? "" : " ") + p;
  }
  EXPECT_EQ(joined, text);

  std::string words;
  for (int i = 0; i < 200; ++i) words += "word ";
  for (const auto& p : split(words)) {
    EXPECT_LE(p.size(), kMaxSentenceBytes);
    EXPECT_FALSE(p.ends_with(" "));
    EXPECT_EQ(p.find("wor "), std::string::npos);  // never inside a word
  }
}

TEST(SplitSentences, CutsOneHugeTokenAtCharacterBoundaries) {
  std::string euros;
  for (int i = 0; i < 1000; ++i) euros += "\xE2\x82\xAC";  // 3000 bytes, no spaces
  const auto pieces = split(euros);
  ASSERT_GE(pieces.size(), 10u);
  std::size_t total = 0;
  for (const auto& p : pieces) {
    EXPECT_LE(p.size(), kMaxSentenceBytes);
    EXPECT_TRUE(valid_utf8(p));
    total += p.size();
  }
  EXPECT_EQ(total, euros.size());
  const auto letters = split(std::string(5000, 'a'));
  EXPECT_EQ(letters.size(), 17u);  // ceil(5000 / 300)
}

TEST(NumberWords, Cardinals) {
  EXPECT_EQ(cardinal_words(0), "zero");
  EXPECT_EQ(cardinal_words(7), "seven");
  EXPECT_EQ(cardinal_words(13), "thirteen");
  EXPECT_EQ(cardinal_words(40), "forty");
  EXPECT_EQ(cardinal_words(99), "ninety nine");
  EXPECT_EQ(cardinal_words(105), "one hundred five");
  EXPECT_EQ(cardinal_words(1250), "one thousand two hundred fifty");
  EXPECT_EQ(cardinal_words(1000000), "one million");
  EXPECT_EQ(cardinal_words(2000017), "two million seventeen");
  EXPECT_EQ(cardinal_words(18446744073709551615ull),
            "eighteen quintillion four hundred forty six quadrillion seven hundred forty four trillion seventy "
            "three billion seven hundred nine million five hundred fifty one thousand six hundred fifteen");
}

TEST(NumberWords, Ordinals) {
  EXPECT_EQ(ordinal_words(1), "first");
  EXPECT_EQ(ordinal_words(2), "second");
  EXPECT_EQ(ordinal_words(3), "third");
  EXPECT_EQ(ordinal_words(4), "fourth");
  EXPECT_EQ(ordinal_words(5), "fifth");
  EXPECT_EQ(ordinal_words(8), "eighth");
  EXPECT_EQ(ordinal_words(9), "ninth");
  EXPECT_EQ(ordinal_words(12), "twelfth");
  EXPECT_EQ(ordinal_words(20), "twentieth");
  EXPECT_EQ(ordinal_words(21), "twenty first");
  EXPECT_EQ(ordinal_words(100), "one hundredth");
  EXPECT_EQ(ordinal_words(1000000), "one millionth");
}

TEST(NumberWords, Digits) {
  EXPECT_EQ(digit_words("0314"), "zero three one four");
  EXPECT_EQ(digit_words(""), "");
}

}  // namespace
}  // namespace vox
