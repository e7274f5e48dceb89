// Inputs the fuzzers (fuzz/request_fields_fuzz.cpp) found that crashed or misbehaved; the raw
// inputs are also replayed from fuzz/regressions/request_fields/ by `make fuzz`.
#include <gtest/gtest.h>

#include "vox/pipeline/request_fields.h"

namespace vox {
namespace {

// {"type": 500} threw nlohmann::json::type_error out of set_transcription_field: std::terminate.
TEST(RequestFieldsFuzzFound, ChunkingTypeThatIsNotAString) {
  for (const char* v : {R"({"type":500})", R"({"type":null})", R"({"type":["server_vad"]})", R"({"type":"other"})"}) {
    TranscriptionOptions o;
    Status s = set_transcription_field(o, "chunking_strategy", v);
    ASSERT_FALSE(s.ok()) << v;
    EXPECT_EQ(s.error().param, "chunking_strategy");
  }
  TranscriptionOptions ok;
  EXPECT_TRUE(set_transcription_field(ok, "chunking_strategy", R"({"type":"server_vad","threshold":0.4})").ok());
  EXPECT_FLOAT_EQ(ok.request.vad_options.threshold, 0.4f);
}

// 1e30 milliseconds was cast to int (undefined behaviour); now refused by the range checks.
TEST(RequestFieldsFuzzFound, ChunkingMillisecondsOutOfIntRange) {
  for (const char* v : {R"({"prefix_padding_ms":1e30})", R"({"silence_duration_ms":-1e300})",
                        R"({"silence_duration_ms":18446744073709551615})"}) {
    TranscriptionOptions o;
    EXPECT_FALSE(set_transcription_field(o, "chunking_strategy", v).ok()) << v;
  }
  TranscriptionOptions o;
  ASSERT_TRUE(set_transcription_field(o, "chunking_strategy", R"({"prefix_padding_ms":250.0,"silence_duration_ms":700})").ok());
  EXPECT_EQ(o.request.vad_options.prefix_padding_ms, 250);
  EXPECT_EQ(o.request.vad_options.silence_duration_ms, 700);
}

}  // namespace
}  // namespace vox
