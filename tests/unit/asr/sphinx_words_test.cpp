#include "vox/asr/sphinx_words.h"

#include <gtest/gtest.h>

namespace vox {
namespace {

TEST(SphinxWords, FillersAreRecognised) {
  for (const char* w : {"<s>", "</s>", "<sil>", "<unk>", "[NOISE]", "[BREATH]", "++NOISE++", "++UH++", ""})
    EXPECT_TRUE(is_sphinx_filler(w)) << w;
  for (const char* w : {"hello", "a", "don't", "++", "+a+", "john's", "(2)"}) EXPECT_FALSE(is_sphinx_filler(w)) << w;
}

TEST(SphinxWords, PronunciationVariantsAreStripped) {
  EXPECT_EQ(strip_pronunciation_variant("read(2)"), "read");
  EXPECT_EQ(strip_pronunciation_variant("the(12)"), "the");
  EXPECT_EQ(strip_pronunciation_variant("read"), "read");
  EXPECT_EQ(strip_pronunciation_variant("a(b)"), "a(b)");   // not a number: kept
  EXPECT_EQ(strip_pronunciation_variant("x()"), "x()");     // no digits: kept
  EXPECT_EQ(strip_pronunciation_variant("(2)"), "(2)");     // nothing before it: kept
}

}  // namespace
}  // namespace vox
