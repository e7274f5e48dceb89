// "pyannote" is one of the built-in diarizers; without models it says which file is missing.
#include <gtest/gtest.h>

#include "vox/engines/registry.h"

namespace vox {
namespace {

TEST(PyannoteRegistration, BuiltInAndNamesTheMissingModel) {
  const auto* entry = builtin_engines().diarizers.find("pyannote");
  ASSERT_NE(entry, nullptr);
  Config config;
  config.engines.models_dir = "/nonexistent/vox-models";
  auto d = entry->factory(config);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kModelNotFound);
  EXPECT_NE(d.error().message.find("/nonexistent/vox-models/pyannote-segmentation-3.0/model.onnx"), std::string::npos)
      << d.error().message;
}

}  // namespace
}  // namespace vox
