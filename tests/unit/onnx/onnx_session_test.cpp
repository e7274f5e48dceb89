// OnnxSession against a tiny model built by tests/models/onnx_test_models.py.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "../../models/model_builder.h"
#include "vox/onnx/onnx_session.h"

namespace vox {
namespace {

class OnnxSessionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dir_ = vox::testing::build_test_models("onnx_test_models.py"); }
  void SetUp() override { ASSERT_FALSE(dir_.empty()) << "test models could not be built"; }
  static std::string model() { return dir_ + "/basic.onnx"; }
  static inline std::string dir_;
};

TEST_F(OnnxSessionTest, LoadsAndDescribesInputsOutputsMetadata) {
  auto s = OnnxSession::load(model(), OnnxOptions{});
  ASSERT_TRUE(s.ok()) << s.error().message;
  const OnnxSession& session = **s;
  ASSERT_EQ(session.inputs().size(), 2u);
  EXPECT_EQ(session.inputs()[0].name, "x");
  EXPECT_EQ(session.inputs()[0].type, TensorType::kFloat);
  EXPECT_EQ(session.inputs()[0].shape, (std::vector<std::int64_t>{1, -1}));
  ASSERT_NE(session.input("k"), nullptr);
  EXPECT_EQ(session.input("k")->type, TensorType::kInt64);
  EXPECT_TRUE(session.input("k")->shape.empty());
  EXPECT_EQ(session.input("nope"), nullptr);
  ASSERT_EQ(session.outputs().size(), 2u);
  EXPECT_EQ(session.outputs()[1].name, "total");

  EXPECT_EQ(session.metadata().size(), 3u);
  ASSERT_NE(session.find_metadata("name"), nullptr);
  EXPECT_EQ(*session.find_metadata("name"), "basic");
  auto answer = session.metadata_int("answer");
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(*answer, 42);
  auto bad = session.metadata_int("bad_int");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(bad.error().message.find("bad_int"), std::string::npos);
  auto missing = session.metadata_int("absent");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("absent"), std::string::npos);
}

TEST_F(OnnxSessionTest, RunsWithFloatAndInt64Inputs) {
  auto s = OnnxSession::load(model(), OnnxOptions{});
  ASSERT_TRUE(s.ok());
  std::vector<float> x = {1.5f, -2.0f, 4.0f};
  std::vector<std::int64_t> k = {10};
  std::vector<InputTensor> in = {InputTensor::floats("x", {1, 3}, x), InputTensor::int64s("k", {}, k)};
  auto out = (*s)->run(in);
  ASSERT_TRUE(out.ok()) << out.error().message;
  ASSERT_EQ(out->size(), 2u);
  EXPECT_EQ((*out)[0].name, "y");
  EXPECT_EQ((*out)[0].shape, (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ((*out)[0].f32, (std::vector<float>{11.5f, 8.0f, 14.0f}));
  EXPECT_FLOAT_EQ((*out)[1].f32.at(0), 3.5f);

  auto only_total = (*s)->run(in, {"total"});
  ASSERT_TRUE(only_total.ok());
  ASSERT_EQ(only_total->size(), 1u);
  EXPECT_EQ((*only_total)[0].name, "total");
}

TEST_F(OnnxSessionTest, BoundRunsFeedKeptOutputsBack) {
  auto s = OnnxSession::load(model(), OnnxOptions{});
  ASSERT_TRUE(s.ok());
  std::vector<float> x = {1.5f, -2.0f, 4.0f};
  std::vector<std::int64_t> k = {10};
  std::vector<InputTensor> first_in = {InputTensor::floats("x", {1, 3}, x), InputTensor::int64s("k", {}, k)};
  auto first = (*s)->run_bound(first_in, {}, {"total"}, {"y"});
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_EQ(first->host.size(), 1u);
  EXPECT_FLOAT_EQ(first->host[0].f32.at(0), 3.5f);
  ASSERT_EQ(first->kept.size(), 1u);
  EXPECT_EQ(first->kept[0].shape(), (std::vector<std::int64_t>{1, 3}));
  // y (= x + 10) goes back in as x without leaving ORT: y2 = x + 20, total = sum(x + 10).
  std::vector<InputTensor> k_only = {InputTensor::int64s("k", {}, k)};
  std::vector<KeptInput> kept = {{"x", &first->kept[0]}};
  auto second = (*s)->run_bound(k_only, kept, {"y", "total"}, {});
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->host[0].f32, (std::vector<float>{21.5f, 18.0f, 24.0f}));
  EXPECT_FLOAT_EQ(second->host[1].f32.at(0), 33.5f);

  OnnxValue empty;
  std::vector<KeptInput> bad = {{"x", &empty}};
  auto r = (*s)->run_bound(k_only, bad, {"y"}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  auto missing = (*s)->run_bound(k_only, {}, {"y"}, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("needs input 'x'"), std::string::npos) << missing.error().message;
  auto unknown = (*s)->run_bound(first_in, {}, {}, {"nope"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("no output 'nope'"), std::string::npos);
}

TEST_F(OnnxSessionTest, BadInputsAreErrorsNotExceptions) {
  auto s = OnnxSession::load(model(), OnnxOptions{});
  ASSERT_TRUE(s.ok());
  std::vector<float> x = {1, 2, 3};
  std::vector<std::int64_t> k = {1};
  // element count does not match the shape
  std::vector<InputTensor> wrong_count = {InputTensor::floats("x", {1, 4}, x), InputTensor::int64s("k", {}, k)};
  auto r1 = (*s)->run(wrong_count);
  ASSERT_FALSE(r1.ok());
  EXPECT_EQ(r1.error().code, ErrorCode::kInvalidArgument);
  // unknown input name
  std::vector<InputTensor> wrong_name = {InputTensor::floats("z", {1, 3}, x), InputTensor::int64s("k", {}, k)};
  EXPECT_EQ((*s)->run(wrong_name).error().code, ErrorCode::kInvalidArgument);
  // wrong element type
  std::vector<float> kf = {1};
  std::vector<InputTensor> wrong_type = {InputTensor::floats("x", {1, 3}, x), InputTensor::floats("k", {}, kf)};
  EXPECT_EQ((*s)->run(wrong_type).error().code, ErrorCode::kInvalidArgument);
  // missing input
  std::vector<InputTensor> missing = {InputTensor::floats("x", {1, 3}, x)};
  auto r4 = (*s)->run(missing);
  ASSERT_FALSE(r4.ok());
  EXPECT_EQ(r4.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r4.error().message.find("'k'"), std::string::npos);
  // rank mismatch: refused by ORT itself; its exception must come back as an Error
  std::vector<InputTensor> wrong_rank = {InputTensor::floats("x", {3}, x), InputTensor::int64s("k", {}, k)};
  auto r5 = (*s)->run(wrong_rank);
  ASSERT_FALSE(r5.ok());
  EXPECT_EQ(r5.error().code, ErrorCode::kInternal);
  // unknown output
  std::vector<InputTensor> good = {InputTensor::floats("x", {1, 3}, x), InputTensor::int64s("k", {}, k)};
  EXPECT_EQ((*s)->run(good, {"nope"}).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(OnnxSessionTest, LoadErrors) {
  auto missing = OnnxSession::load(dir_ + "/does-not-exist.onnx", OnnxOptions{});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kModelNotFound);

  const std::string garbage = dir_ + "/garbage.onnx";
  std::ofstream(garbage) << "this is not a protobuf";
  auto bad = OnnxSession::load(garbage, OnnxOptions{});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kUnavailable);

  OnnxOptions tpu;
  tpu.provider = "tpu";
  EXPECT_EQ(OnnxSession::load(model(), tpu).error().code, ErrorCode::kInvalidArgument);
}

// With the CPU-only ORT of the default setup, CUDA cannot be set up: a clear kUnavailable, never
// a silent CPU fallback. (With VOX_WITH_CUDA=1 and a GPU the load succeeds on CUDA instead.)
TEST_F(OnnxSessionTest, CudaEitherLoadsOnCudaOrIsUnavailable) {
  OnnxOptions cuda;
  cuda.provider = "cuda";
  cuda.gpu_mem_limit = 256ull << 20;
  auto s = OnnxSession::load(model(), cuda);
  if (s.ok()) {
    EXPECT_EQ((*s)->provider(), "cuda");
  } else {
    EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
    EXPECT_NE(s.error().message.find("cuda"), std::string::npos) << s.error().message;
    std::printf("cuda unavailable here: %s\n", s.error().message.c_str());
  }
}

TEST_F(OnnxSessionTest, ConcurrentRunsOnOneSession) {
  auto s = OnnxSession::load(model(), OnnxOptions{});
  ASSERT_TRUE(s.ok());
  const OnnxSession* session = s->get();
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        std::vector<float> x(16, float(t));
        std::vector<std::int64_t> k = {i};
        std::vector<InputTensor> in = {InputTensor::floats("x", {1, 16}, x), InputTensor::int64s("k", {}, k)};
        auto out = session->run(in, {"y"});
        if (!out.ok() || (*out)[0].f32[5] != float(t + i)) ++failures[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

TEST(OnnxOptions, FromEngineConfig) {
  EngineConfig e;
  e.provider = "cuda";
  e.gpu_mem_limit = 123;
  auto o = onnx_options_from(e);
  EXPECT_EQ(o.provider, "cuda");
  EXPECT_EQ(o.gpu_mem_limit, 123u);
  EXPECT_EQ(o.intra_threads, 1);
  EXPECT_EQ(o.cudnn_conv_algo_search, "HEURISTIC");
}

}  // namespace
}  // namespace vox
