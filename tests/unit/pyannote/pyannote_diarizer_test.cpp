// The whole pyannote path on synthetic recordings whose answer is known: tone "voices" through
// the stand-in models of tests/models/pyannote_test_models.py.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "../../models/model_builder.h"
#include "tone_signals.h"
#include "vox/diar/pyannote_diarizer.h"

namespace vox {
namespace {

using vox::testing::kVoiceA;
using vox::testing::kVoiceB;
using vox::testing::kVoiceD;
using vox::testing::ToneSpan;

std::string models() {
  static const std::string dir = vox::testing::build_test_models("pyannote_test_models.py");
  return dir;
}

std::unique_ptr<Diarizer> diarizer(const std::string& embedding = "", int threads = 2) {
  const std::string seg = models() + "/models/" + kPyannoteSegmentationPath;
  const std::string emb = embedding.empty() ? models() + "/models/" + kSpeakerEmbeddingPath : embedding;
  PyannoteParams params;
  params.threads = threads;
  auto d = make_pyannote_diarizer_from(seg, emb, OnnxOptions{}, params);
  EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message);
  return d.ok() ? std::move(*d) : nullptr;
}

// Fraction of 10 ms frames where the set of active speakers (mapped through `voice_of_speaker`)
// equals the reference set of voices.
double frame_agreement(const std::vector<SpeakerTurn>& turns, const std::vector<ToneSpan>& reference,
                       double seconds, const std::map<int, double>& voice_of_speaker) {
  int good = 0, total = 0;
  for (double t = 0.005; t < seconds; t += 0.01, ++total) {
    std::set<double> want, got;
    for (const auto& r : reference)
      if (t >= r.start && t < r.end) want.insert(r.hz);
    for (const auto& s : turns)
      if (t >= s.start && t < s.end && voice_of_speaker.count(s.speaker)) got.insert(voice_of_speaker.at(s.speaker));
    good += want == got;
  }
  return double(good) / total;
}

// Which voice each output speaker is: the reference voice it overlaps most.
std::map<int, double> match_voices(const std::vector<SpeakerTurn>& turns, const std::vector<ToneSpan>& reference) {
  std::map<int, std::map<double, double>> overlap;
  for (const auto& s : turns)
    for (const auto& r : reference)
      overlap[s.speaker][r.hz] += std::max(0.0, std::min(s.end, r.end) - std::max(s.start, r.start));
  std::map<int, double> out;
  for (const auto& [spk, m] : overlap) {
    double best = -1;
    for (const auto& [hz, sec] : m)
      if (sec > best) best = sec, out[spk] = hz;
  }
  return out;
}

std::set<int> speakers(const std::vector<SpeakerTurn>& turns) {
  std::set<int> s;
  for (const auto& t : turns) s.insert(t.speaker);
  return s;
}

TEST(PyannoteDiarizer, TwoAlternatingVoices) {
  const std::vector<ToneSpan> ref = {{0.5, 8, kVoiceA}, {9, 17, kVoiceB}, {18, 26, kVoiceA}, {27, 35, kVoiceB}};
  const auto x = vox::testing::tones(37, ref);
  auto d = diarizer();
  ASSERT_NE(d, nullptr);
  std::vector<double> progress;
  auto turns = d->diarize(x, {{0, 37}}, {}, [&](std::string_view stage, double f) {
    EXPECT_EQ(stage, "diarize");
    progress.push_back(f);
  }, {});
  ASSERT_TRUE(turns.ok()) << turns.error().message;
  ASSERT_EQ(turns->size(), 4u);
  EXPECT_EQ(speakers(*turns), (std::set<int>{0, 1}));
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ((*turns)[i].speaker, int(i % 2)) << i;  // A is speaker 0: it speaks first
    EXPECT_NEAR((*turns)[i].start, ref[i].start, 0.1) << i;
    EXPECT_NEAR((*turns)[i].end, ref[i].end, 0.1) << i;
  }
  EXPECT_GT(frame_agreement(*turns, ref, 37, {{0, kVoiceA}, {1, kVoiceB}}), 0.98);
  ASSERT_FALSE(progress.empty());
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
  EXPECT_DOUBLE_EQ(progress.back(), 1.0);
}

TEST(PyannoteDiarizer, OverlappingSpeechGivesBothSpeakers) {
  const std::vector<ToneSpan> ref = {{1, 11, kVoiceA}, {6, 16, kVoiceB}};
  const auto x = vox::testing::tones(18, ref);
  auto d = diarizer();
  ASSERT_NE(d, nullptr);
  auto turns = d->diarize(x, {{0, 18}}, {}, {}, {});
  ASSERT_TRUE(turns.ok()) << turns.error().message;
  ASSERT_EQ(turns->size(), 2u);
  EXPECT_NEAR((*turns)[0].start, 1, 0.1);
  EXPECT_NEAR((*turns)[0].end, 11, 0.1);
  EXPECT_NEAR((*turns)[1].start, 6, 0.1);
  EXPECT_NEAR((*turns)[1].end, 16, 0.1);
  EXPECT_NE((*turns)[0].speaker, (*turns)[1].speaker);
}

// A and D light up the same local speaker of the segmentation model: only clustering the
// embeddings can keep them apart. They are never within one 10 s window (a real segmentation
// model gives two voices in one window two local speakers; the stand-in cannot).
const std::vector<ToneSpan> kThreeVoices = {
    {0, 5, kVoiceA}, {6, 14, kVoiceB}, {16, 21, kVoiceD}, {22, 30, kVoiceB}, {32, 37, kVoiceA}};
constexpr double kThreeVoicesLength = 38;

TEST(PyannoteDiarizer, ClusteringSeparatesVoicesSharingALocalSlot) {
  const auto x = vox::testing::tones(kThreeVoicesLength, kThreeVoices);
  auto d = diarizer();
  ASSERT_NE(d, nullptr);
  auto turns = d->diarize(x, {{0, kThreeVoicesLength}}, {}, {}, {});
  ASSERT_TRUE(turns.ok()) << turns.error().message;
  EXPECT_EQ(speakers(*turns).size(), 3u);
  const auto voices = match_voices(*turns, kThreeVoices);
  EXPECT_EQ(std::set<double>({voices.at(0), voices.at(1), voices.at(2)}).size(), 3u);
  EXPECT_GT(frame_agreement(*turns, kThreeVoices, kThreeVoicesLength, voices), 0.98);
}

TEST(PyannoteDiarizer, SameTurnsWithOneOrSeveralThreads) {
  const auto x = vox::testing::tones(kThreeVoicesLength, kThreeVoices);
  auto one = diarizer("", 1)->diarize(x, {{0, kThreeVoicesLength}}, {}, {}, {});
  auto three = diarizer("", 3)->diarize(x, {{0, kThreeVoicesLength}}, {}, {}, {});
  ASSERT_TRUE(one.ok() && three.ok());
  ASSERT_EQ(one->size(), three->size());
  for (std::size_t i = 0; i < one->size(); ++i) {
    EXPECT_EQ((*one)[i].speaker, (*three)[i].speaker);
    EXPECT_DOUBLE_EQ((*one)[i].start, (*three)[i].start);
    EXPECT_DOUBLE_EQ((*one)[i].end, (*three)[i].end);
  }
}

TEST(PyannoteDiarizer, HonoursSpeakerCounts) {
  const auto x = vox::testing::tones(kThreeVoicesLength, kThreeVoices);
  auto d = diarizer();
  ASSERT_NE(d, nullptr);
  DiarizeOptions two;
  two.num_speakers = 2;
  auto t2 = d->diarize(x, {{0, kThreeVoicesLength}}, two, {}, {});
  ASSERT_TRUE(t2.ok());
  EXPECT_EQ(speakers(*t2).size(), 2u);
  DiarizeOptions at_most_two;
  at_most_two.max_speakers = 2;
  EXPECT_LE(speakers(*d->diarize(x, {{0, kThreeVoicesLength}}, at_most_two, {}, {})).size(), 2u);
  DiarizeOptions one;
  one.num_speakers = 1;
  auto t1 = d->diarize(x, {{0, kThreeVoicesLength}}, one, {}, {});
  ASSERT_TRUE(t1.ok());
  EXPECT_EQ(speakers(*t1), std::set<int>{0});
  DiarizeOptions bad;
  bad.min_speakers = 3;
  bad.max_speakers = 2;
  EXPECT_EQ(d->diarize(x, {{0, kThreeVoicesLength}}, bad, {}, {}).error().code, ErrorCode::kInvalidArgument);
}

TEST(PyannoteDiarizer, NemoEmbeddingLayoutGivesTheSameAnswer) {
  const std::vector<ToneSpan> ref = {{0.5, 8, kVoiceA}, {9, 17, kVoiceB}, {18, 26, kVoiceA}};
  const auto x = vox::testing::tones(28, ref);
  auto d = diarizer(models() + "/nemo_embedding.onnx");
  ASSERT_NE(d, nullptr);
  auto turns = d->diarize(x, {{0, 28}}, {}, {}, {});
  ASSERT_TRUE(turns.ok()) << turns.error().message;
  ASSERT_EQ(turns->size(), 3u);
  EXPECT_EQ((*turns)[0].speaker, 0);
  EXPECT_EQ((*turns)[1].speaker, 1);
  EXPECT_EQ((*turns)[2].speaker, 0);
}

TEST(PyannoteDiarizer, SilenceNoSpeechAndCancel) {
  auto d = diarizer();
  ASSERT_NE(d, nullptr);
  const std::vector<float> silence(20 * 16000, 0.f);
  auto t = d->diarize(silence, {{0, 20}}, {}, {}, {});
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->empty());
  const auto x = vox::testing::tones(12, {{1, 10, kVoiceA}});
  EXPECT_TRUE(d->diarize(x, {}, {}, {}, {})->empty());  // VAD found nothing
  CancelToken cancel;
  cancel.cancel();
  EXPECT_EQ(d->diarize(x, {{0, 12}}, {}, {}, cancel).error().code, ErrorCode::kCancelled);
}

TEST(PyannoteDiarizer, FactoryFindsModelsUnderModelsDir) {
  ASSERT_FALSE(models().empty());
  Config config;
  config.engines.models_dir = models() + "/models";
  auto d = make_pyannote_diarizer(config);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ((*d)->name(), "pyannote");

  config.engines.models_dir = models() + "/nowhere";
  auto missing = make_pyannote_diarizer(config);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kModelNotFound);
  EXPECT_NE(missing.error().message.find("pyannote-segmentation-3.0"), std::string::npos);

}

}  // namespace
}  // namespace vox
