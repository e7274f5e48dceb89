// vox transcribe FILE... [-f FORMAT] [-o OUT]: the pipeline without a server.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/cli.h"
#include "cli/progress_bar.h"
#include "vox/audio/decoder.h"
#include "vox/core/thread_pool.h"
#include "vox/engines/registry.h"
#include "vox/pipeline/request_fields.h"
#include "vox/pipeline/transcriber.h"

namespace vox::cli {

namespace {

const char* kHelp =
    "usage: vox transcribe FILE... [options]\n"
    "\n"
    "  -o, --output PATH          write to PATH (a directory when several files are given); default stdout\n";

const char* extension_for(OutputFormat f) {
  switch (f) {
    case OutputFormat::kText: return ".txt";
    case OutputFormat::kSrt: return ".srt";
    case OutputFormat::kVtt: return ".vtt";
    case OutputFormat::kRttm: return ".rttm";
    default: return ".json";
  }
}

Status write_file(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
  out.close();
  if (!out) return Error(ErrorCode::kIo, "cannot write " + path);
  return Status::Ok();
}

}  // namespace

int run_transcribe(const std::vector<std::string>& args) {
  Config config;
  std::vector<std::string> rest;
  if (Status s = load_config(config, args, rest); !s) return fail(s.error());

  TranscriptionOptions options;
  std::vector<std::string> files;
  std::string output;
  for (size_t i = 0; i < rest.size(); ++i) {
    const std::string& a = rest[i];
    if (a == "-h" || a == "--help") {
      std::printf("%s%s\nEngine options:\n%s", kHelp, transcription_fields_help(), config_options_help().c_str());
      return 0;
    }
    if (a.rfind("-", 0) != 0 || a == "-") {
      files.push_back(a);
      continue;
    }
    std::string name = a, value;
    bool has_value = false;
    if (auto eq = a.find('='); eq != std::string::npos) {
      name = a.substr(0, eq), value = a.substr(eq + 1), has_value = true;
    }
    if (name == "-f") name = "--response-format";
    if (name == "-o") name = "--output";
    if (!has_value && name.rfind("--no-", 0) == 0) {  // --no-punctuate: the field set to false
      name = "--" + name.substr(5);
      value = "false";
      has_value = true;
    }
    if (!has_value) {
      if (i + 1 >= rest.size()) return fail(Error(ErrorCode::kInvalidArgument, name + " needs a value"));
      value = rest[++i];
    }
    if (name == "--output") {
      output = value;
      continue;
    }
    if (Status s = set_transcription_field(options, name.substr(name.find_first_not_of('-')), value); !s)
      return fail(s.error());
  }
  if (files.empty()) return fail(Error(ErrorCode::kInvalidArgument, "no input file (usage: vox transcribe FILE... [-f FORMAT] [-o OUT])"));

  const auto& engines_registry = builtin_engines();
  if (Status s = finish_transcription_options(options, [&](const std::string& n) {
        return engines_registry.recognizers.find(n) != nullptr;
      }); !s)
    return fail(s.error());

  EngineHost engines(config);
  if (Status s = engines.text().load_rules(); !s) return fail(s.error());
  ThreadPool workers(config.engines.threads);
  auto decoder = make_ffmpeg_decoder();
  Transcriber transcriber(engines, workers, *decoder);
  const bool many = files.size() > 1;
  if (many && !output.empty()) std::filesystem::create_directories(output);

  int status = 0;
  for (const auto& file : files) {
    if (!std::filesystem::exists(file)) {
      status = fail(Error(ErrorCode::kNotFound, file + ": no such file"));
      continue;
    }
    ProgressBar bar(file, isatty(STDERR_FILENO));
    auto transcript = transcriber.transcribe(AudioInput{file, {}}, options.request,
                                             [&bar](std::string_view stage, double f) { bar.update(stage, f); },
                                             CancelToken{});
    bar.finish();
    if (!transcript) {
      status = fail(Error(transcript.error().code, file + ": " + transcript.error().message));
      continue;
    }
    WriteOptions write = options.write;
    write.recording_id = std::filesystem::path(file).stem().string();
    std::string text = write_transcript(*transcript, options.format, write);
    if (output.empty()) {
      std::cout << text;
      if (!text.empty() && text.back() != '\n') std::cout << '\n';
    } else {
      std::string path = many ? (std::filesystem::path(output) / (write.recording_id + extension_for(options.format))).string()
                              : output;
      if (Status s = write_file(path, text); !s) status = fail(s.error());
    }
  }
  return status;
}

}  // namespace vox::cli
