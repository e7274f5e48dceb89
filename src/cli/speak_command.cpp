// vox speak "text" -o out.wav [--voice rms] [--format mp3] [--speed 1.2]; vox voices.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/cli.h"
#include "vox/engines/registry.h"
#include "vox/pipeline/speech_service.h"

namespace vox::cli {

namespace {

const char* kHelp =
    "usage: vox speak [TEXT] [options]   (TEXT from standard input when not given)\n"
    "\n"
    "  -o, --output PATH    where to write the audio (default: standard output)\n"
    "  --voice NAME         a voice from `vox voices`, or an OpenAI voice name (alloy, echo, ...)\n"
    "  --format FMT         wav | mp3 | opus | aac | flac | pcm (default: from the -o extension, else wav)\n"
    "  --speed X            0.25 .. 4.0 (default 1.0)\n"
    "  --language CODE      language for espeak voices\n";

std::string format_from_path(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  if (ext.size() > 1) {
    ext = ext.substr(1);
    if (ext == "ogg") return "opus";
    if (ext == "m4a" || ext == "adts") return "aac";
    if (ext == "raw") return "pcm";
    return ext;
  }
  return "wav";
}

}  // namespace

int run_speak(const std::vector<std::string>& args) {
  Config config;
  std::vector<std::string> rest;
  if (Status s = load_config(config, args, rest); !s) return fail(s.error());
  SpeechRequest request;
  request.format.clear();
  std::string output, text;
  bool have_text = false;
  for (size_t i = 0; i < rest.size(); ++i) {
    const std::string& a = rest[i];
    if (a == "-h" || a == "--help") {
      std::printf("%s\nEngine options:\n%s", kHelp, config_options_help().c_str());
      return 0;
    }
    if (a.rfind("-", 0) != 0) {
      text += (have_text ? " " : "") + a;
      have_text = true;
      continue;
    }
    if (i + 1 >= rest.size()) return fail(Error(ErrorCode::kInvalidArgument, a + " needs a value"));
    const std::string& v = rest[++i];
    if (a == "-o" || a == "--output") output = v;
    else if (a == "--voice") request.voice = v;
    else if (a == "--format" || a == "-f") request.format = v;
    else if (a == "--language") request.language = v;
    else if (a == "--speed") {
      try {
        request.speed = std::stof(v);
      } catch (...) {
        return fail(Error(ErrorCode::kInvalidArgument, "--speed must be a number"));
      }
    } else {
      return fail(Error(ErrorCode::kInvalidArgument, "unknown option '" + a + "' (see vox speak --help)"));
    }
  }
  if (!have_text) text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  request.input = text;
  if (request.format.empty()) request.format = output.empty() ? "wav" : format_from_path(output);

  EngineHost engines(config);
  SpeechService speech(engines);
  auto plan = speech.prepare(request);
  if (!plan) return fail(plan.error());
  std::ofstream file;
  if (!output.empty()) {
    file.open(output, std::ios::binary);
    if (!file) return fail(Error(ErrorCode::kIo, "cannot write " + output));
  }
  std::ostream& out = output.empty() ? std::cout : file;
  auto s = speech.stream(*plan, [&](std::string_view bytes) {
    out.write(bytes.data(), std::streamsize(bytes.size()));
    return bool(out);
  }, CancelToken{});
  if (!s) return fail(s.error());
  out.flush();
  if (!out) return fail(Error(ErrorCode::kIo, "cannot write " + (output.empty() ? std::string("stdout") : output)));
  return 0;
}

int run_voices(const std::vector<std::string>& args) {
  Config config;
  std::vector<std::string> rest;
  if (Status s = load_config(config, args, rest); !s) return fail(s.error());
  EngineHost engines(config);
  SpeechService speech(engines);
  std::printf("%-28s %-8s %-10s %-7s %s\n", "VOICE", "ENGINE", "LANGUAGE", "GENDER", "RATE");
  for (const auto& v : speech.voices())
    std::printf("%-28s %-8s %-10s %-7s %d\n", v.name.c_str(), v.engine.c_str(), v.language.c_str(),
                v.gender.empty() ? "-" : v.gender.c_str(), v.sample_rate);
  std::printf("\nOpenAI voice names:");
  for (const auto& [alias, voice] : openai_voice_aliases()) std::printf(" %s=%s", alias.c_str(), voice.c_str());
  std::printf("\n");
  return 0;
}

}  // namespace vox::cli
