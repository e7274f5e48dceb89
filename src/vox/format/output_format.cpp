// Output format names, HTTP content types and the one dispatch point from format to writer.
#include <string>

#include "vox/format/writers.h"

namespace vox {
namespace {

constexpr OutputFormat kAllFormats[] = {OutputFormat::kJson,        OutputFormat::kText,
                                        OutputFormat::kSrt,         OutputFormat::kVtt,
                                        OutputFormat::kVerboseJson, OutputFormat::kDiarizedJson,
                                        OutputFormat::kRttm};

}  // namespace

const char* output_format_name(OutputFormat format) {
  switch (format) {
    case OutputFormat::kJson: return "json";
    case OutputFormat::kText: return "text";
    case OutputFormat::kSrt: return "srt";
    case OutputFormat::kVtt: return "vtt";
    case OutputFormat::kVerboseJson: return "verbose_json";
    case OutputFormat::kDiarizedJson: return "diarized_json";
    case OutputFormat::kRttm: return "rttm";
  }
  return "json";
}

Result<OutputFormat> parse_output_format(std::string_view name) {
  for (OutputFormat f : kAllFormats)
    if (name == output_format_name(f)) return f;
  std::string valid;
  for (OutputFormat f : kAllFormats) {
    if (!valid.empty()) valid += ", ";
    valid += output_format_name(f);
  }
  return Error(ErrorCode::kInvalidArgument,
               "unknown response_format '" + std::string(name) + "'; valid values are: " + valid,
               "response_format");
}

const char* output_format_content_type(OutputFormat format) {
  switch (format) {
    case OutputFormat::kJson:
    case OutputFormat::kVerboseJson:
    case OutputFormat::kDiarizedJson: return "application/json";
    case OutputFormat::kText:
    case OutputFormat::kRttm: return "text/plain; charset=utf-8";
    case OutputFormat::kSrt: return "application/x-subrip";
    case OutputFormat::kVtt: return "text/vtt";
  }
  return "application/json";
}

bool output_format_shows_speakers(OutputFormat format) {
  // json and text follow OpenAI: plain text only, so diarizing for them would be wasted work.
  switch (format) {
    case OutputFormat::kJson:
    case OutputFormat::kText: return false;
    default: return true;
  }
}

std::string write_transcript(const Transcript& t, OutputFormat format, const WriteOptions& options) {
  switch (format) {
    case OutputFormat::kJson: return write_json(t);
    case OutputFormat::kText: return write_text(t);
    case OutputFormat::kSrt: return write_srt(t);
    case OutputFormat::kVtt: return write_vtt(t);
    case OutputFormat::kVerboseJson: return write_verbose_json(t, options);
    case OutputFormat::kDiarizedJson: return write_diarized_json(t);
    case OutputFormat::kRttm: return write_rttm(t, options);
  }
  return write_json(t);
}

}  // namespace vox
