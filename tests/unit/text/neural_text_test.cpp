// The neural text models: CT-Transformer punctuation and BERT token-classification NER, against
// the tiny exports of tests/models/text_test_models.py (real names, shapes, dtypes, metadata and
// side files; every prediction a fixed function of the token, so the answers are known).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../../models/model_builder.h"
#include "vox/models/manifest.h"
#include "vox/text/neural_entities.h"
#include "vox/text/neural_punctuator.h"
#include "vox/text/text_stage.h"

namespace vox {
namespace {

namespace fs = std::filesystem;

// Words of "a b c": 0.3 s each, 0.1 s apart, from t0; "|" switches to the next speaker (A, B, ...).
std::vector<Word> make_words(const std::string& text, double t0 = 0.0) {
  std::vector<Word> out;
  std::istringstream in(text);
  std::string tok;
  char speaker = 'A';
  double t = t0;
  while (in >> tok) {
    if (tok == "|") {
      ++speaker;
      continue;
    }
    Word w;
    w.text = tok;
    w.start = t;
    w.end = t + 0.3;
    w.confidence = 0.75f;
    w.speaker = std::string(1, speaker);
    out.push_back(w);
    t = w.end + 0.1;
  }
  return out;
}

std::string join(const std::vector<Word>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : " ") + w.text;
  return s;
}

std::string repeat(const std::string& text, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += (s.empty() ? "" : " ") + text;
  return s;
}

class NeuralTextModels : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dir_ = vox::testing::build_test_models("text_test_models.py"); }
  void SetUp() override { ASSERT_FALSE(dir_.empty()) << "test models could not be built"; }
  static inline std::string dir_;
};

// "type:text" per entity.
std::vector<std::string> summary(const std::vector<Entity>& es) {
  std::vector<std::string> out;
  for (const auto& e : es) out.push_back(e.type + ":" + e.text);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Punctuation

class NeuralPunctuatorTest : public NeuralTextModels {
 protected:
  std::unique_ptr<Punctuator> load(const std::string& name = "punct") {
    auto p = load_neural_punctuator(dir_ + "/" + name);
    EXPECT_TRUE(p.ok()) << p.error().message;
    return p ? std::move(*p) : nullptr;
  }
  std::string punctuate(const std::string& text) {
    auto p = load();
    if (!p) return "";
    auto words = make_words(text);
    p->apply(words);
    return join(words);
  }
};

TEST_F(NeuralPunctuatorTest, MarksAndCapitalsWhereTheModelSays) {
  auto p = load();
  ASSERT_TRUE(p);
  const auto before = make_words("hello world how are you i think so we went to paris");
  auto words = before;
  p->apply(words);
  EXPECT_EQ(join(words), "Hello world. How are you? I think so, we went to paris.");
  ASSERT_EQ(words.size(), before.size());
  for (std::size_t i = 0; i < words.size(); ++i) {
    EXPECT_DOUBLE_EQ(words[i].start, before[i].start);
    EXPECT_DOUBLE_EQ(words[i].end, before[i].end);
    EXPECT_EQ(words[i].speaker, before[i].speaker);
    EXPECT_FLOAT_EQ(words[i].confidence, before[i].confidence);
  }
}

TEST_F(NeuralPunctuatorTest, SpeakerChangesAndTheLastWordEndSentences) {
  // "then" has no mark of its own and "so" a comma: both end a turn, so both get a period.
  EXPECT_EQ(punctuate("hello world and then | yes we went so"), "Hello world. And then. Yes, we went so.");
  EXPECT_EQ(punctuate("how are you"), "How are you?");
  EXPECT_EQ(punctuate("i"), "I.");
}

TEST_F(NeuralPunctuatorTest, OldMarksGoUnknownWordsAndRecognisersCapitalsStay) {
  // "hello," loses its comma (the model says none), "world!" gets the model's period; "xyzzy"
  // is <unk>; "NASA" keeps its capitals; "a.m." keeps its dots; "don't" is one token.
  EXPECT_EQ(punctuate("hello, xyzzy NASA world! i don't a.m."), "Hello xyzzy NASA world. I don't a.m.");
  EXPECT_EQ(punctuate("i'm so"), "I'm so.");
}

TEST_F(NeuralPunctuatorTest, ChineseWordsReadCharacterByCharacter) {
  // 你好 -> the mark after 好 (，); 你好吗 -> after 吗 (？), mapped to English marks.
  EXPECT_EQ(punctuate("\xE4\xBD\xA0\xE5\xA5\xBD \xE4\xBD\xA0\xE5\xA5\xBD\xE5\x90\x97"),
            "\xE4\xBD\xA0\xE5\xA5\xBD, \xE4\xBD\xA0\xE5\xA5\xBD\xE5\x90\x97?");
}

TEST_F(NeuralPunctuatorTest, LongTurnsAreReadInWindows) {
  // 200 tokens with a sentence end every 4, and 150 without any: windows of 64 must neither drop
  // nor shift a prediction.
  EXPECT_EQ(punctuate(repeat("we went to paris", 50)), repeat("We went to paris.", 50));
  EXPECT_EQ(punctuate(repeat("hello how are", 50)), "Hello " + repeat("how are hello", 49) + " how are.");
  // The token right after a committed sentence end has a mark of its own (yes -> ","), and a
  // turn of commas without any sentence end: no token may be skipped or read twice.
  std::string expected;
  for (int i = 0; i < 30; ++i)
    expected += std::string(i ? " hello" : "Hello") + " world. Yes, we went so" + (i == 29 ? "." : ",");
  EXPECT_EQ(punctuate(repeat("hello world yes we went so", 30)), expected);
  EXPECT_EQ(punctuate(repeat("think so", 70)), "Think so, " + repeat("think so,", 68) + " think so.");
  // A comma every 3 tokens and a question every 5, over window edges.
  const std::string mixed = repeat("think so hello are you", 30);
  EXPECT_EQ(punctuate(mixed), "Think so, hello are you? " + repeat("Think so, hello are you?", 29));
}

TEST_F(NeuralPunctuatorTest, SafeFromSeveralThreads) {
  auto p = load();
  ASSERT_TRUE(p);
  const std::string text = repeat("hello world how are you i think so", 20);
  auto expected = make_words(text);
  p->apply(expected);
  std::vector<std::thread> threads;
  std::vector<std::string> got(4);
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      for (int r = 0; r < 5; ++r) {
        auto w = make_words(text);
        p->apply(w);
        got[std::size_t(k)] = join(w);
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& g : got) EXPECT_EQ(g, join(expected));
}

TEST_F(NeuralPunctuatorTest, EmptyInputIsFine) {
  auto p = load();
  ASSERT_TRUE(p);
  std::vector<Word> none;
  p->apply(none);
  EXPECT_TRUE(none.empty());
}

TEST_F(NeuralPunctuatorTest, BadModelDirectoriesAreClearErrors) {
  auto missing = load_neural_punctuator(dir_ + "/no-such-model");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kModelNotFound);
  EXPECT_NE(missing.error().message.find("no-such-model/model.onnx"), std::string::npos) << missing.error().message;
  struct Case {
    const char* dir;
    const char* says;
  };
  for (const Case& c : {Case{"punct-no-meta", "punctuations"}, Case{"punct-bad-vocab", "vocab_size"},
                        Case{"punct-garbage", "punct-garbage/model.onnx"}, Case{"ner", "2 inputs"}}) {
    auto r = load_neural_punctuator(dir_ + "/" + c.dir);
    ASSERT_FALSE(r.ok()) << c.dir;
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable) << c.dir;
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
  }
}

// ---------------------------------------------------------------------------------------------
// Entities

class NeuralEntitiesTest : public NeuralTextModels {
 protected:
  std::unique_ptr<EntityFinder> load(const std::string& name = "ner") {
    auto f = load_neural_entity_finder(dir_ + "/" + name);
    EXPECT_TRUE(f.ok()) << f.error().message;
    return f ? std::move(*f) : nullptr;
  }
};

using Strings = std::vector<std::string>;

TEST(NeuralEntitiesWordPiece, SplitsMarksAndMatchesLongestPieces) {
  auto t = WordPieceTokenizer::parse("[PAD]\n[UNK]\n[CLS]\n[SEP]\nJohn\n##son\n'\ns\n,\nete\n##s\n", "vocab.txt");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->pad(), 0);
  EXPECT_EQ(t->unk(), 1);
  EXPECT_EQ(t->cls(), 2);
  EXPECT_EQ(t->sep(), 3);
  EXPECT_TRUE(t->has_capitals());
  EXPECT_EQ(t->encode("Johnson's,"), (std::vector<std::int64_t>{4, 5, 6, 7, 8}));
  EXPECT_EQ(t->encode("Johnx"), (std::vector<std::int64_t>{1}));  // no piece for "x": the whole word is [UNK]
  EXPECT_EQ(t->encode(""), (std::vector<std::int64_t>{}));
  EXPECT_EQ(t->encode("\xC3\x89T\xC3\x89S"), (std::vector<std::int64_t>{1}));  // ÉTÉS: cased, no match
  t->set_lower_case(true);
  EXPECT_EQ(t->encode("\xC3\x89T\xC3\x89S"), (std::vector<std::int64_t>{9, 10}));  // ete ##s
  auto bad = WordPieceTokenizer::parse("a\nb\n", "x/vocab.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(bad.error().message.find("x/vocab.txt"), std::string::npos);
}

TEST_F(NeuralEntitiesTest, FindsPeopleOrganisationsAndPlacesWithTheirTimes) {
  auto f = load();
  ASSERT_TRUE(f);
  const auto words = make_words("John Smith works at Acme Corp in New York.");
  const auto es = f->find(words);
  EXPECT_EQ(summary(es), (Strings{"person:John Smith", "organization:Acme Corp", "location:New York"}));
  ASSERT_EQ(es.size(), 3u);
  EXPECT_DOUBLE_EQ(es[0].start, words[0].start);
  EXPECT_DOUBLE_EQ(es[0].end, words[1].end);
  EXPECT_DOUBLE_EQ(es[2].start, words[7].start);
  EXPECT_DOUBLE_EQ(es[2].end, words[8].end);
  EXPECT_EQ(es[2].speaker, "A");
}

TEST_F(NeuralEntitiesTest, EachWordTakesItsFirstPiecesLabel) {
  // Johnson = John (B-PER) + ##son (I-ORG): a person, not an organisation.
  auto f = load();
  ASSERT_TRUE(f);
  EXPECT_EQ(summary(f->find(make_words("Johnson said hello"))), (Strings{"person:Johnson"}));
}

TEST_F(NeuralEntitiesTest, MiscIsDroppedAndBStartsANewEntity) {
  auto f = load();
  ASSERT_TRUE(f);
  EXPECT_EQ(summary(f->find(make_words("Mary met John at the World Cup in Paris"))),
            (Strings{"person:Mary", "person:John", "location:Paris"}));
  // "Bank of New York": B-ORG, O, B-LOC, I-LOC as the tiny model says.
  EXPECT_EQ(summary(f->find(make_words("Bank of New York"))), (Strings{"organization:Bank", "location:New York"}));
  EXPECT_TRUE(f->find(make_words("Zorblax said hello")).empty());
  EXPECT_TRUE(f->find({}).empty());
}

TEST_F(NeuralEntitiesTest, EntitiesNeverSpanSpeakers) {
  // "Smith" is I-PER, but a new speaker starts a new entity.
  auto f = load();
  ASSERT_TRUE(f);
  const auto words = make_words("said John | Smith said hello");
  const auto es = f->find(words);
  ASSERT_EQ(summary(es), (Strings{"person:John", "person:Smith"}));
  EXPECT_EQ(es[0].speaker, "A");
  EXPECT_EQ(es[1].speaker, "B");
  EXPECT_DOUBLE_EQ(es[1].start, words[2].start);
}

TEST_F(NeuralEntitiesTest, TextsHaveNoTrailingMark) {
  auto f = load();
  ASSERT_TRUE(f);
  EXPECT_EQ(summary(f->find(make_words("in Paris, John Smith. met (Mary) at \"Acme Corp\"!"))),
            (Strings{"location:Paris", "person:John Smith", "person:Mary", "organization:Acme Corp"}));
  // An abbreviation keeps its dot.
  EXPECT_EQ(summary(f->find(make_words("at Acme Corp."))), (Strings{"organization:Acme Corp."}));
  // A lone mark the model tags (",", "." score I-PER here) is no entity.
  EXPECT_EQ(summary(f->find(make_words("Paris , ."))), (Strings{"location:Paris"}));
}

TEST_F(NeuralEntitiesTest, LongTurnsGoThroughSeveralWindowsAndBatches) {
  // max_position_embeddings 16: 14 pieces a window, so 20 x 8 + 1 pieces take 12 windows (two
  // runs of up to 8); "John Smith" often straddles two windows and is still one person.
  auto f = load();
  ASSERT_TRUE(f);
  const auto words = make_words(repeat("Mary met John Smith in New York and", 20) + " Paris");
  const auto es = f->find(words);
  Strings expected;
  for (int i = 0; i < 20; ++i)
    for (const char* e : {"person:Mary", "person:John Smith", "location:New York"}) expected.push_back(e);
  expected.push_back("location:Paris");
  EXPECT_EQ(summary(es), expected);
  ASSERT_EQ(es.size(), expected.size());
  EXPECT_DOUBLE_EQ(es.back().start, words.back().start);
  EXPECT_DOUBLE_EQ(es[4].start, words[10].start);  // the second "John"
  // With sentence ends, windows end at them.
  const auto sentences = f->find(make_words(repeat("Mary met John Smith in Paris.", 12)));
  EXPECT_EQ(sentences.size(), 36u);
}

TEST_F(NeuralEntitiesTest, UncasedModelsLowerTheWords) {
  auto f = load("ner-uncased");
  ASSERT_TRUE(f);
  EXPECT_EQ(summary(f->find(make_words("JOHN Smith works at acme corp"))),
            (Strings{"person:JOHN Smith", "organization:acme corp"}));
}

TEST_F(NeuralEntitiesTest, SafeFromSeveralThreads) {
  auto f = load();
  ASSERT_TRUE(f);
  const auto words = make_words(repeat("Mary met John Smith in New York and", 10));
  const auto expected = summary(f->find(words));
  ASSERT_EQ(expected.size(), 30u);
  std::vector<std::thread> threads;
  std::vector<Strings> got(4);
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      for (int r = 0; r < 5; ++r) got[std::size_t(k)] = summary(f->find(words));
    });
  for (auto& t : threads) t.join();
  for (const auto& g : got) EXPECT_EQ(g, expected);
}

TEST_F(NeuralEntitiesTest, BadModelDirectoriesAreClearErrors) {
  struct Case {
    const char* dir;
    ErrorCode code;
    const char* says;
  };
  for (const Case& c : {Case{"no-such-model", ErrorCode::kModelNotFound, "no-such-model"},
                        Case{"ner-no-vocab", ErrorCode::kModelNotFound, "ner-no-vocab/vocab.txt"},
                        Case{"ner-no-labels", ErrorCode::kUnavailable, "id2label"},
                        Case{"ner-wrong-labels", ErrorCode::kUnavailable, "outputs 9 labels"},
                        Case{"punct", ErrorCode::kModelNotFound, "punct/vocab.txt"}}) {
    auto r = load_neural_entity_finder(dir_ + "/" + c.dir);
    ASSERT_FALSE(r.ok()) << c.dir;
    EXPECT_EQ(r.error().code, c.code) << c.dir << ": " << r.error().message;
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
  }
}

// ---------------------------------------------------------------------------------------------
// The text stage picks them

class NeuralTextStage : public NeuralTextModels {};

Transcript transcript_of(std::vector<Word> words) {
  Transcript t;
  Segment s;
  s.words = std::move(words);
  s.start = s.words.empty() ? 0 : s.words.front().start;
  s.end = s.words.empty() ? 0 : s.words.back().end;
  t.segments.push_back(std::move(s));
  return t;
}

TEST_F(NeuralTextStage, SettingsSelectTheNeuralModels) {
  TextConfig config;
  config.punctuation_model = dir_ + "/punct";
  config.ner_model = dir_ + "/ner";
  TextStage stage(config, "/nonexistent-sphinx-model");  // the embedded punctuator would fail
  TextOptions options;
  options.numerals = false;
  auto words = make_words("hello world how are you");
  auto formatted = stage.write(words, options, false);
  ASSERT_TRUE(formatted.ok()) << formatted.error().message;
  EXPECT_EQ(join(words), "Hello world. How are you?");

  options.detect_entities = true;
  Transcript t = transcript_of(make_words("John Smith works at Acme Corp"));
  ASSERT_TRUE(stage.annotate(t, options, {}).ok());
  EXPECT_EQ(summary(t.entities), (Strings{"person:John Smith", "organization:Acme Corp"}));
}

TEST_F(NeuralTextStage, ModelNamesResolveUnderTheModelsDirectory) {
  const models::ModelEntry* ner = models::find_model("bert-base-ner");
  ASSERT_NE(ner, nullptr);
  EXPECT_EQ(ner->kind, "ner");
  const models::ModelEntry* punct = models::find_model("punct-ct-transformer-zh-en");
  ASSERT_NE(punct, nullptr);
  EXPECT_EQ(punct->kind, "punctuation");

  const fs::path models = fs::path(VOX_BINARY_DIR) / "test-models" / ("neural-text-models-" + std::to_string(::getpid()));
  fs::remove_all(models);
  TextConfig config;
  config.ner_model = "bert-base-ner";
  config.punctuation_model = "punct-ct-transformer-zh-en";
  {
    TextStage stage(config, "/nonexistent", models.string());
    TextOptions options;
    auto words = make_words("hello world");
    auto r = stage.write(words, options, false);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kModelNotFound);
    EXPECT_NE(r.error().message.find("vox models pull punct-ct-transformer-zh-en"), std::string::npos)
        << r.error().message;
  }
  {
    TextConfig wrong;
    wrong.ner_model = "punct-ct-transformer-zh-en";  // a punctuation model is no NER model
    TextStage stage(wrong, "/nonexistent", models.string());
    TextOptions options;
    options.detect_entities = true;
    Transcript t = transcript_of(make_words("John Smith"));
    Status s = stage.annotate(t, options, {});
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(s.error().message.find("punctuation model"), std::string::npos) << s.error().message;
  }
  // Installed: the manifest's files in the manifest's directory.
  const fs::path ner_dir = models / ner->dir, punct_dir = models / punct->dir;
  fs::create_directories(ner_dir);
  fs::create_directories(punct_dir);
  for (const auto& f : ner->files) {
    if (f.path == "tokenizer_config.json") {
      std::ofstream(ner_dir / f.path) << R"({"do_lower_case": false})";
      continue;
    }
    fs::copy_file(fs::path(dir_) / "ner" / f.path, ner_dir / f.path);
  }
  fs::copy_file(fs::path(dir_) / "punct" / "model.onnx", punct_dir / "model.onnx");
  TextStage stage(config, "/nonexistent", models.string());
  TextOptions options;
  options.numerals = false;
  options.detect_entities = true;
  auto words = make_words("i think so we went to paris");
  ASSERT_TRUE(stage.write(words, options, false).ok());
  EXPECT_EQ(join(words), "I think so, we went to paris.");
  Transcript t = transcript_of(make_words("John Smith works at Acme Corp"));
  ASSERT_TRUE(stage.annotate(t, options, {}).ok());
  EXPECT_EQ(summary(t.entities), (Strings{"person:John Smith", "organization:Acme Corp"}));
  fs::remove_all(models);
}

}  // namespace
}  // namespace vox
