#include <gtest/gtest.h>

#include <set>

#include "vox/service/api_key.h"

using namespace vox::service;

TEST(ApiKey, GeneratedKeysHaveThePrefixLengthAndAlphabet) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto k = generate_api_key();
    ASSERT_TRUE(k) << k.error().message;
    ASSERT_EQ(k->rfind("vox_", 0), 0u);
    ASSERT_EQ(k->size(), 4u + 43u);  // 43 base62 characters ≈ 256 bits
    for (char c : k->substr(4)) ASSERT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << *k;
    seen.insert(*k);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(ApiKey, CharactersAreSpreadOverTheWholeAlphabet) {
  std::set<char> chars;
  for (int i = 0; i < 50; ++i) {
    auto k = generate_api_key();
    ASSERT_TRUE(k);
    for (char c : k->substr(4)) chars.insert(c);
  }
  EXPECT_EQ(chars.size(), 62u);  // 2150 draws: missing a symbol has probability < 1e-12
}

TEST(ApiKey, Sha256MatchesTheStandardVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ApiKey, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("abcdef", "abcdef"));
  EXPECT_FALSE(constant_time_equal("abcdef", "abcdeg"));
  EXPECT_FALSE(constant_time_equal("abcdef", "bbcdef"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(ApiKey, KeyIdIsAPrefixOfTheHash) {
  std::string h = sha256_hex("vox_secret");
  EXPECT_EQ(key_id_for_hash(h), "key_" + h.substr(0, 16));
}

TEST(ApiKey, BearerTokenParsing) {
  EXPECT_EQ(bearer_token("Bearer vox_abc"), "vox_abc");
  EXPECT_EQ(bearer_token("bearer   vox_abc  "), "vox_abc");
  EXPECT_EQ(bearer_token("BEARER vox_abc"), "vox_abc");
  EXPECT_EQ(bearer_token("Basic dXNlcjpwYXNz"), "");
  EXPECT_EQ(bearer_token("vox_abc"), "");
  EXPECT_EQ(bearer_token(""), "");
  EXPECT_EQ(bearer_token("Bearer "), "");
}

TEST(ApiKey, UtcDay) {
  EXPECT_EQ(utc_day(0), "1970-01-01");
  EXPECT_EQ(utc_day(86399), "1970-01-01");
  EXPECT_EQ(utc_day(86400), "1970-01-02");
  EXPECT_EQ(utc_day(1709164800), "2024-02-29");
}
