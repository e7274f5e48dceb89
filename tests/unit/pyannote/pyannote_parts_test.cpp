// The pyannote diarizer's parts: powerset decoding, features, model loading, clustering and
// reconstruction.
#include <gtest/gtest.h>

#include <cmath>

#include "../../models/model_builder.h"
#include "tone_signals.h"
#include "vox/diar/pyannote_clustering.h"
#include "vox/diar/pyannote_embedding.h"
#include "vox/diar/pyannote_fbank.h"
#include "vox/diar/pyannote_reconstruction.h"
#include "vox/diar/pyannote_segmentation.h"

namespace vox::diar {
namespace {

std::string models() {
  static const std::string dir = vox::testing::build_test_models("pyannote_test_models.py");
  return dir;
}

TEST(Powerset, PyannoteOrder) {
  auto c = powerset_classes(3, 2);
  std::vector<std::vector<int>> want = {{}, {0}, {1}, {2}, {0, 1}, {0, 2}, {1, 2}};
  EXPECT_EQ(c, want);
  EXPECT_EQ(powerset_classes(4, 3).size(), 15u);  // 1 + 4 + 6 + 4
}

TEST(Fbank, ToneLightsTheMelBinAtItsFrequency) {
  auto x = vox::testing::tones(1.0, {{0, 1, 1000}});
  FbankOptions o;
  auto f = compute_fbank(x, o);
  EXPECT_EQ(f.frames, 1 + (16000 - 400) / 160);
  ASSERT_EQ(f.dim, 80);
  // Kaldi's mel bin centres: the one nearest 1 kHz must be the loudest
  const double mlow = 1127 * std::log(1 + 20 / 700.0), mhigh = 1127 * std::log(1 + 8000 / 700.0);
  int nearest = 0;
  double best = 1e9;
  for (int b = 0; b < 80; ++b) {
    const double c = 700 * (std::exp((mlow + (b + 1) * (mhigh - mlow) / 81) / 1127) - 1);
    if (std::abs(c - 1000) < best) best = std::abs(c - 1000), nearest = b;
  }
  const float* row = f.row(f.frames / 2);
  EXPECT_EQ(int(std::max_element(row, row + 80) - row), nearest);
  EXPECT_GT(row[nearest] - row[5], 10.f);  // far bins are many nats lower

  EXPECT_EQ(compute_fbank(std::vector<float>(399, 0.f), o).frames, 0);
  auto silent = compute_fbank(std::vector<float>(800, 0.f), o);
  ASSERT_EQ(silent.frames, 3);
  EXPECT_NEAR(silent.row(0)[0], std::log(FLT_EPSILON), 1e-3);  // log floor, not -inf

  subtract_feature_mean(f);
  double sum = 0;
  for (int t = 0; t < f.frames; ++t) sum += f.row(t)[nearest];
  EXPECT_NEAR(sum / f.frames, 0.0, 1e-3);
}

TEST(SegmentationLoad, MetadataAndLayoutErrors) {
  ASSERT_FALSE(models().empty());
  auto good = SegmentationModel::load(models() + "/models/pyannote-segmentation-3.0/model.onnx", {});
  ASSERT_TRUE(good.ok()) << good.error().message;
  const auto& g = (*good)->geometry();
  EXPECT_EQ(g.window_size, 160000);
  EXPECT_EQ(g.window_shift, 16000);
  EXPECT_EQ(g.receptive_field_shift, 270);
  EXPECT_EQ(g.num_classes, 7);

  auto no_meta = SegmentationModel::load(models() + "/seg_no_num_classes.onnx", {});
  ASSERT_FALSE(no_meta.ok());
  EXPECT_EQ(no_meta.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(no_meta.error().message.find("num_classes"), std::string::npos) << no_meta.error().message;

  auto wrong = SegmentationModel::load(models() + "/seg_wrong_classes.onnx", {});
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("does not match"), std::string::npos) << wrong.error().message;

  // an embedding model is not a segmentation model
  auto other = SegmentationModel::load(models() + "/models/speaker-embedding/model.onnx", {});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kUnavailable);

  EXPECT_EQ(SegmentationModel::load(models() + "/nope.onnx", {}).error().code, ErrorCode::kModelNotFound);
}

TEST(SegmentationRun, ToneWindowsGiveTheKnownLocalSpeakers) {
  auto model = SegmentationModel::load(models() + "/models/pyannote-segmentation-3.0/model.onnx", {});
  ASSERT_TRUE(model.ok());
  // 12 s: A 1-5 s, B 3-9 s -> overlap 3-5 s; windows at 0, 1 and 2 s
  auto x = vox::testing::tones(12, {{1, 5, vox::testing::kVoiceA}, {3, 9, vox::testing::kVoiceB}});
  auto seg = (*model)->run(x, {{0, 12}}, 4, 2, {}, 0.4, {});
  ASSERT_TRUE(seg.ok()) << seg.error().message;
  ASSERT_EQ(seg->windows.size(), 3u);
  EXPECT_EQ(seg->frames_per_window, 589);
  EXPECT_EQ(seg->windows[2].start, 32000);
  auto frame_at = [](double t) { return int((t * 16000 - 991 / 2.0) / 270); };  // window 0
  EXPECT_EQ(seg->at(0, frame_at(0.5), 0), 0);
  EXPECT_EQ(seg->at(0, frame_at(2.0), 0), 1);
  EXPECT_EQ(seg->at(0, frame_at(2.0), 1), 0);
  EXPECT_EQ(seg->at(0, frame_at(4.0), 0), 1);
  EXPECT_EQ(seg->at(0, frame_at(4.0), 1), 1);
  EXPECT_EQ(seg->at(0, frame_at(7.0), 0), 0);
  EXPECT_EQ(seg->at(0, frame_at(7.0), 1), 1);
  EXPECT_EQ(seg->at(0, frame_at(9.5), 1), 0);
  for (int f = 0; f < 589; ++f) EXPECT_EQ(seg->at(0, f, 2), 0);

  // windows without VAD speech are not run
  auto skipped = (*model)->run(x, {{0, 1.5}}, 4, 1, {}, 0.4, {});
  ASSERT_TRUE(skipped.ok());
  EXPECT_TRUE(skipped->windows[0].computed);
  EXPECT_FALSE(skipped->windows[2].computed);

  CancelToken cancel;
  cancel.cancel();
  EXPECT_EQ((*model)->run(x, {{0, 12}}, 4, 2, {}, 0.4, cancel).error().code, ErrorCode::kCancelled);
}

TEST(EmbeddingModels, ToneMapsToItsVoiceVectorInBothLayouts) {
  for (std::string path : {models() + "/models/speaker-embedding/model.onnx", models() + "/nemo_embedding.onnx"}) {
    auto m = EmbeddingModel::load(path, {});
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_EQ((*m)->dim(), 16);
    const double voices[] = {vox::testing::kVoiceA, vox::testing::kVoiceB, vox::testing::kVoiceC,
                             vox::testing::kVoiceD};
    for (int v = 0; v < 4; ++v) {
      auto e = (*m)->embed(vox::testing::tones(1.0, {{0, 1, voices[v]}}));
      ASSERT_TRUE(e.ok()) << e.error().message;
      ASSERT_EQ(e->size(), 16u);
      EXPECT_GT((*e)[std::size_t(v)], 0.95f) << path << " voice " << v;  // unit vector e_v
    }
    EXPECT_EQ((*m)->embed(std::vector<float>(100, 0.f)).error().code, ErrorCode::kInvalidArgument);
  }
  auto nemo = EmbeddingModel::load(models() + "/nemo_embedding.onnx", {});
  EXPECT_EQ((*nemo)->layout(), EmbeddingModel::Layout::kNemo);

  auto bins40 = EmbeddingModel::load(models() + "/emb_40_bins.onnx", {});
  ASSERT_FALSE(bins40.ok());
  EXPECT_EQ(bins40.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(bins40.error().message.find("[1,-1,40]"), std::string::npos) << bins40.error().message;
  // a segmentation model has no output_dim
  auto seg = EmbeddingModel::load(models() + "/models/pyannote-segmentation-3.0/model.onnx", {});
  ASSERT_FALSE(seg.ok());
  EXPECT_NE(seg.error().message.find("output_dim"), std::string::npos);
}

std::vector<float> unit(int dim, int hot, float noise = 0.f) {
  std::vector<float> v(std::size_t(dim), noise);
  v[std::size_t(hot)] = 1.f;
  return v;
}

TEST(AssignSpeakers, ClustersAndKeepsLocalsOfAWindowApart) {
  std::vector<LocalSpeakerEmbedding> items = {
      {0, 0, unit(4, 0), true}, {0, 1, unit(4, 1), true}, {1, 0, unit(4, 1, 0.1f), true},
      {1, 1, unit(4, 0, 0.1f), true}, {2, 0, unit(4, 2), true}, {3, 2, unit(4, 0, 0.05f), false},
  };
  auto a = assign_speakers(items, 4, 3, {}, 0.5, 8);
  EXPECT_EQ(a.num_speakers, 3);
  EXPECT_EQ(a.speaker[0][0], a.speaker[1][1]);  // same voice in two windows, different slots
  EXPECT_EQ(a.speaker[0][1], a.speaker[1][0]);
  EXPECT_NE(a.speaker[0][0], a.speaker[0][1]);
  EXPECT_NE(a.speaker[2][0], a.speaker[0][0]);
  EXPECT_EQ(a.speaker[3][2], a.speaker[0][0]);  // unclean item joins its nearest cluster
  EXPECT_EQ(a.speaker[2][1], -1);               // no embedding: no speaker

  DiarizeOptions two;
  two.num_speakers = 2;
  EXPECT_EQ(assign_speakers(items, 4, 3, two, 0.5, 8).num_speakers, 2);
  DiarizeOptions at_most_one;
  at_most_one.max_speakers = 1;
  auto one = assign_speakers(items, 4, 3, at_most_one, 0.5, 8);
  EXPECT_EQ(one.num_speakers, 1);
  // one cluster: only one local speaker of window 0 can have it
  EXPECT_EQ((one.speaker[0][0] == 0) + (one.speaker[0][1] == 0), 1);
  EXPECT_EQ(assign_speakers({}, 2, 3, {}, 0.5, 8).num_speakers, 0);
}

TEST(Reconstruction, CountAndActivityGiveTurns) {
  Segmentation seg;
  seg.geometry = {160000, 16000, 991, 270, 3, 2, 7};
  seg.frames_per_window = 100;
  WindowActivity w;
  w.computed = true;
  w.active.assign(100 * 3, 0);
  for (int f = 10; f < 40; ++f) w.active[std::size_t(f) * 3 + 0] = 1;
  for (int f = 30; f < 60; ++f) w.active[std::size_t(f) * 3 + 1] = 1;
  seg.windows.push_back(w);
  SpeakerAssignment a;
  a.num_speakers = 2;
  a.speaker = {{1, 0, -1}};  // local 0 -> cluster 1, local 1 -> cluster 0
  auto turns = reconstruct_turns(seg, a, 100 * 270, {});
  ASSERT_EQ(turns.size(), 2u);
  const double step = 270 / 16000.0, off = (991 / 2.0 - 135) / 16000.0;
  EXPECT_EQ(turns[0].speaker, 0);  // renumbered by first appearance
  EXPECT_NEAR(turns[0].start, 10 * step + off, 1e-6);
  EXPECT_NEAR(turns[0].end, 40 * step + off, 1e-6);
  EXPECT_EQ(turns[1].speaker, 1);
  EXPECT_NEAR(turns[1].start, 30 * step + off, 1e-6);
}

}  // namespace
}  // namespace vox::diar
