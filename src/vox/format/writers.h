// Output writers shared by the CLI and the server: one function per format.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vox/core/error.h"
#include "vox/format/transcript.h"

namespace vox {

enum class OutputFormat { kJson, kText, kSrt, kVtt, kVerboseJson, kDiarizedJson, kRttm };

// "json", "text", "srt", "vtt", "verbose_json", "diarized_json", "rttm".
Result<OutputFormat> parse_output_format(std::string_view name);
const char* output_format_name(OutputFormat format);
const char* output_format_content_type(OutputFormat format);
// Whether the format can show speakers (diarization is skipped for the others unless asked).
bool output_format_shows_speakers(OutputFormat format);

struct WriteOptions {
  bool word_timestamps = false;   // verbose_json: top-level words[]
  bool segment_timestamps = true; // verbose_json: segments[]
  std::string recording_id = "audio";  // rttm file id
};

std::string write_json(const Transcript& t);
std::string write_text(const Transcript& t);
std::string write_srt(const Transcript& t);
std::string write_vtt(const Transcript& t);
std::string write_verbose_json(const Transcript& t, const WriteOptions& options);
std::string write_diarized_json(const Transcript& t);
std::string write_rttm(const Transcript& t, const WriteOptions& options);
// {"duration", "segments": [{"start", "end", "speaker"}]} for diarization without recognition.
std::string write_diarization_json(const Transcript& t);
// stream=true: the JSON payloads of the server-sent events, in order (the last is ..._done).
std::vector<std::string> transcript_stream_events(const Transcript& t, OutputFormat format);
std::string write_transcript(const Transcript& t, OutputFormat format, const WriteOptions& options);

// "HH:MM:SS,mmm" (srt) / "HH:MM:SS.mmm" (vtt).
std::string format_timestamp(double seconds, char millis_separator);

}  // namespace vox
