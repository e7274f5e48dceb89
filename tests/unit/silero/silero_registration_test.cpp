// "silero" is one of the built-in VAD engines and loads from the default configuration.
#include <gtest/gtest.h>

#include "vox/engines/registry.h"

namespace vox {
namespace {

TEST(SileroRegistration, BuiltInAndLoadable) {
  const auto* entry = builtin_engines().vads.find("silero");
  ASSERT_NE(entry, nullptr);
  auto vad = entry->factory(Config{});
  ASSERT_TRUE(vad.ok()) << vad.error().message;
  EXPECT_EQ((*vad)->name(), "silero");
}

}  // namespace
}  // namespace vox
