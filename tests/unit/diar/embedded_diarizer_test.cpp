// The whole embedded diarizer on synthetic voices (no corpus, no VAD): counts, hints, errors.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "synthetic_voices.h"
#include "vox/diar/embedded_diarizer.h"

namespace vox {
namespace {

using diar::testing::SyntheticVoice;

const std::vector<SyntheticVoice> kVoices = {{110, 1.0, -3}, {210, 1.18, -1}, {150, 0.88, -6}};
const std::vector<int> kOrder = {0, 1, 0, 2, 1, 2, 0, 1, 2, 0, 2, 1};

std::unique_ptr<Diarizer> diarizer() {
  auto d = make_embedded_diarizer(Config{});
  EXPECT_TRUE(d.ok());
  return std::move(d).value();
}

int speakers_in(const std::vector<SpeakerTurn>& turns) {
  std::set<int> s;
  for (const auto& t : turns) s.insert(t.speaker);
  return int(s.size());
}

struct Fixture : ::testing::Test {
  static void SetUpTestSuite() { conv = diar::testing::make_conversation(kVoices, kOrder, 0.3, 42); }
  static diar::testing::SyntheticConversation conv;
  // One VAD region over everything: the diarizer must find the changes itself.
  std::vector<SpeechRegion> all() const { return {{0.0, conv.samples.size() / 16000.0}}; }
};
diar::testing::SyntheticConversation Fixture::conv;

TEST_F(Fixture, FindsThreeVoicesAndTheirTurns) {
  auto d = diarizer();
  EXPECT_EQ(d->name(), "embedded");
  std::vector<double> fractions;
  auto turns = d->diarize(conv.samples, all(), {}, [&](std::string_view stage, double f) {
    EXPECT_EQ(stage, "diarize");
    fractions.push_back(f);
  }, CancelToken{});
  ASSERT_TRUE(turns.ok()) << turns.error().message;
  EXPECT_EQ(speakers_in(*turns), 3);
  EXPECT_LT(diar::testing::frame_error(conv.truth, *turns, conv.samples.size() / 16000.0), 0.10);
  ASSERT_FALSE(fractions.empty());
  EXPECT_EQ(fractions.back(), 1.0);
  EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));
  EXPECT_EQ(turns->front().speaker, 0);
  for (std::size_t i = 1; i < turns->size(); ++i) {
    EXPECT_GE((*turns)[i].start, (*turns)[i - 1].end);
    EXPECT_LT((*turns)[i].start, (*turns)[i].end);
  }
}

TEST_F(Fixture, HintsAreHonoured) {
  auto d = diarizer();
  for (int n : {1, 2, 4}) {
    DiarizeOptions o;
    o.num_speakers = n;
    auto turns = d->diarize(conv.samples, all(), o, nullptr, CancelToken{});
    ASSERT_TRUE(turns.ok());
    EXPECT_EQ(speakers_in(*turns), n) << "num_speakers=" << n;
  }
  DiarizeOptions at_most;
  at_most.max_speakers = 2;
  auto two = d->diarize(conv.samples, all(), at_most, nullptr, CancelToken{});
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(speakers_in(*two), 2);
  DiarizeOptions at_least;
  at_least.min_speakers = 5;
  auto five = d->diarize(conv.samples, all(), at_least, nullptr, CancelToken{});
  ASSERT_TRUE(five.ok());
  EXPECT_GE(speakers_in(*five), 5);
}

TEST_F(Fixture, ConcurrentCallsAgree) {
  auto d = diarizer();
  auto reference = d->diarize(conv.samples, all(), {}, nullptr, CancelToken{});
  ASSERT_TRUE(reference.ok());
  std::atomic<int> same{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i)
    threads.emplace_back([&] {
      auto r = d->diarize(conv.samples, all(), {}, nullptr, CancelToken{});
      if (r.ok() && r->size() == reference->size()) ++same;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(same.load(), 2);
}

TEST_F(Fixture, Cancel) {
  CancelToken cancel;
  cancel.cancel();
  auto r = diarizer()->diarize(conv.samples, all(), {}, nullptr, cancel);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCancelled);
  // Cancelled from inside a progress callback, i.e. while running.
  CancelToken later;
  auto r2 = diarizer()->diarize(conv.samples, all(), {}, [&](std::string_view, double f) {
    if (f > 0.3) later.cancel();
  }, later);
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().code, ErrorCode::kCancelled);
}

TEST(EmbeddedDiarizer, NoSpeechNoTurns) {
  auto d = diarizer();
  std::vector<float> silence(16000 * 3, 0.0f);
  auto none = d->diarize(silence, {}, {}, nullptr, CancelToken{});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto empty = d->diarize({}, {{0.0, 2.0}}, {}, nullptr, CancelToken{});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  auto blip = d->diarize(silence, {{1.0, 1.05}}, {}, nullptr, CancelToken{});  // shorter than any window
  ASSERT_TRUE(blip.ok());
  EXPECT_TRUE(blip->empty());
}

TEST(EmbeddedDiarizer, BadOptionsAreInvalidArgument) {
  auto d = diarizer();
  std::vector<float> x(16000, 0.0f);
  DiarizeOptions neg;
  neg.num_speakers = -1;
  auto r = d->diarize(x, {{0.0, 1.0}}, neg, nullptr, CancelToken{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().param, "num_speakers");
  DiarizeOptions crossed;
  crossed.min_speakers = 4;
  crossed.max_speakers = 2;
  EXPECT_EQ(d->diarize(x, {{0.0, 1.0}}, crossed, nullptr, CancelToken{}).error().code, ErrorCode::kInvalidArgument);
  auto nan = d->diarize(x, {{0.0, std::nan("")}}, {}, nullptr, CancelToken{});
  EXPECT_EQ(nan.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace vox
