// Shared by the neural-recogniser tests: input audio for the tiny models and the text of words.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "vox/asr/recognizer.h"
#include "vox/onnx/onnx_session.h"

namespace vox::asr {

// Gaussian noise at 16 kHz: the tiny models ignore what the audio says, only its length matters.
inline std::vector<float> noise(double seconds, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> n(0.f, 0.1f);
  std::vector<float> s(std::size_t(seconds * 16000));
  for (auto& x : s) x = n(rng);
  return s;
}

inline std::string text_of(const std::vector<RecognizedWord>& words) {
  std::string t;
  for (const auto& w : words) t += (t.empty() ? "" : " ") + w.text;
  return t;
}

// Model::load(dir) with the CUDA provider, or null with `why` set when this machine has none (a
// clean kUnavailable, which the caller turns into GTEST_SKIP).
template <class Model>
std::unique_ptr<Model> load_on_cuda(const std::string& dir, std::string& why) {
  OnnxOptions cuda;
  cuda.provider = "cuda";
  auto m = Model::load(dir, cuda);
  if (m.ok()) return std::move(*m);
  EXPECT_EQ(m.error().code, ErrorCode::kUnavailable);
  why = m.error().message;
  return nullptr;
}

}  // namespace vox::asr
