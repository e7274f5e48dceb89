// EntityFinder over the Debian data (wordnet-base, iso-codes, tzdata, wamerican-huge).
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "vox/text/entities.h"

namespace vox {
namespace {

bool data_present(const EntityDataPaths& p) {
  namespace fs = std::filesystem;
  return fs::exists(p.wordnet_dir + "/data.noun") && fs::exists(p.iso_codes_dir + "/iso_3166-1.json") &&
         fs::exists(p.zone_table) && fs::exists(p.cased_words);
}

// Words of `text` split at spaces, 0.5 s apart, each 0.4 s long; "B:" before a word switches
// the speaker to B from there on ("A:" back).
std::vector<Word> words_of(const std::string& text) {
  std::istringstream in(text);
  std::vector<Word> out;
  std::string w, speaker = "A";
  double t = 0;
  while (in >> w) {
    if (w.rfind("A:", 0) == 0 || w.rfind("B:", 0) == 0) {
      speaker = w.substr(0, 1);
      w = w.substr(2);
    }
    out.push_back({w, t, t + 0.4, 1.0f, speaker});
    t += 0.5;
  }
  return out;
}

class EntitiesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!data_present(EntityDataPaths{})) return;
    auto r = EntityFinder::load(EntityDataPaths{});
    if (r) finder_ = std::move(*r).release();
  }
  static void TearDownTestSuite() {
    delete finder_;
    finder_ = nullptr;
  }
  void SetUp() override {
    if (!data_present(EntityDataPaths{}))
      GTEST_SKIP() << "Debian data missing (wordnet-base, iso-codes, tzdata, wamerican-huge)";
    ASSERT_NE(finder_, nullptr) << "loading the entity data failed";
  }
  // "type:text" of each entity, space-joined.
  static std::string find(const std::string& text) {
    std::string out;
    for (const auto& e : finder_->find(words_of(text))) {
      if (!out.empty()) out += " | ";
      out += e.type + ":" + e.text;
    }
    return out;
  }
  static EntityFinder* finder_;
};

EntityFinder* EntitiesTest::finder_ = nullptr;

TEST_F(EntitiesTest, People) {
  EXPECT_EQ(find("I met doctor Smith yesterday."), "person:Smith");
  EXPECT_EQ(find("I met Dr. Smith yesterday."), "person:Smith");
  EXPECT_EQ(find("John Smith works at Microsoft."), "person:John Smith | organization:Microsoft");
  EXPECT_EQ(find("Mr. John F. Kennedy spoke."), "person:John F. Kennedy");
  EXPECT_EQ(find("Bill Gates founded Microsoft."), "person:Bill Gates | organization:Microsoft");
  EXPECT_EQ(find("Sarah and Michael came."), "person:Sarah | person:Michael");
  EXPECT_EQ(find("we asked professor Jones."), "person:Jones");
}

TEST_F(EntitiesTest, Places) {
  EXPECT_EQ(find("We flew from Paris to New York."), "location:Paris | location:New York");
  EXPECT_EQ(find("She lives in Texas."), "location:Texas");
  EXPECT_EQ(find("Paris is lovely in the spring."), "location:Paris");
  EXPECT_EQ(find("The United States and the United Kingdom signed it."),
            "location:United States | location:United Kingdom");
  EXPECT_EQ(find("Then we went to St. Louis, and then to Chicago."), "location:St. Louis | location:Chicago");
  EXPECT_EQ(find("I live in new York."), "location:New York");  // a lowercase word completing a place
  EXPECT_EQ(find("We stayed in Nice."), "location:Nice");       // an English word after "in"
}

TEST_F(EntitiesTest, Organisations) {
  EXPECT_EQ(find("He works at Brightstar Inc."), "organization:Brightstar Inc");
  EXPECT_EQ(find("I studied at the University of Oxford."), "organization:University of Oxford");
  EXPECT_EQ(find("She went to the university of Texas."), "organization:University of Texas");
  EXPECT_EQ(find("They bought the Northwind company."), "organization:Northwind");
  EXPECT_EQ(find("He joined Brightstar last year."), "organization:Brightstar");
  EXPECT_EQ(find("The New York Times wrote about it."), "organization:New York Times");
}

TEST_F(EntitiesTest, NothingInPlainSentences) {
  EXPECT_EQ(find("the cat sat on the mat"), "");
  EXPECT_EQ(find("The cat sat on the mat."), "");
  EXPECT_EQ(find("May I ask a question?"), "");
  EXPECT_EQ(find("Will you come tomorrow?"), "");
  EXPECT_EQ(find("Bill me later, please."), "");
  EXPECT_EQ(find("Mark my words."), "");
  EXPECT_EQ(find("I talked to Mark about it."), "");  // a frequent word alone mid-sentence
  EXPECT_EQ(find("The meeting is on Monday in March."), "");
  EXPECT_EQ(find("Oh my God, I think so."), "");
  EXPECT_EQ(find(""), "");
}

TEST_F(EntitiesTest, AmbiguousWordsNeedCapitalsOrContext) {
  EXPECT_EQ(find("I bought a china cup."), "");
  EXPECT_EQ(find("We visited China last year."), "location:China");
  EXPECT_EQ(find("Turkey is a big country."), "");  // sentence-initial and a frequent word
  EXPECT_EQ(find("We flew to Turkey."), "location:Turkey");
}

TEST_F(EntitiesTest, TimesSpeakersAndMarks) {
  auto e = finder_->find(words_of("We flew from Paris, to New York."));
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].text, "Paris");  // no trailing comma
  EXPECT_DOUBLE_EQ(e[0].start, 1.5);
  EXPECT_DOUBLE_EQ(e[0].end, 1.9);
  EXPECT_EQ(e[1].text, "New York");  // no trailing period
  EXPECT_DOUBLE_EQ(e[1].start, 2.5);  // first word's start
  EXPECT_DOUBLE_EQ(e[1].end, 3.4);    // last word's end
  EXPECT_EQ(e[1].speaker, "A");
  EXPECT_EQ(e[1].type, "location");

  // Possessives lose their "'s"; a mark ends a name.
  EXPECT_EQ(find("I like Microsoft's products."), "organization:Microsoft");
  EXPECT_EQ(find("I like Microsoft’s products."), "organization:Microsoft");

  // Never across speakers: "New" said by A, "York" by B.
  auto split = finder_->find(words_of("I moved to New B:York is big."));
  for (const auto& x : split) EXPECT_NE(x.text, "New York");
  auto b = finder_->find(words_of("Yes, London is big. B:Paris is bigger."));
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].speaker, "A");
  EXPECT_EQ(b[1].text, "Paris");
  EXPECT_EQ(b[1].speaker, "B");
  EXPECT_DOUBLE_EQ(b[1].start, 2.0);
}

TEST_F(EntitiesTest, TimeOrderAndSafeFromSeveralThreads) {
  const auto w = words_of("John Smith flew from Paris to Berlin and joined Brightstar Inc in Texas.");
  auto base = finder_->find(w);
  ASSERT_GE(base.size(), 4u);
  for (size_t i = 1; i < base.size(); ++i) EXPECT_LT(base[i - 1].start, base[i].start);
  std::vector<std::thread> threads;
  std::vector<size_t> sizes(8);
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      for (int k = 0; k < 50; ++k) sizes[i] = finder_->find(w).size();
    });
  for (auto& t : threads) t.join();
  for (size_t n : sizes) EXPECT_EQ(n, base.size());
}

TEST(EntitiesLoad, MissingDataNamesFileAndPackage) {
  EntityDataPaths p;
  p.wordnet_dir = "/nonexistent/wordnet";
  auto r = EntityFinder::load(p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("/nonexistent/wordnet/data.noun"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("wordnet-base"), std::string::npos) << r.error().message;

  if (!data_present(EntityDataPaths{})) GTEST_SKIP() << "Debian data missing";
  p = EntityDataPaths{};
  p.cased_words = "/nonexistent/words";
  r = EntityFinder::load(p);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("wamerican-huge"), std::string::npos) << r.error().message;
  p = EntityDataPaths{};
  p.iso_codes_dir = "/nonexistent/iso";
  r = EntityFinder::load(p);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("iso-codes"), std::string::npos) << r.error().message;
  p = EntityDataPaths{};
  p.zone_table = "/nonexistent/zone1970.tab";
  r = EntityFinder::load(p);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("tzdata"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace vox
