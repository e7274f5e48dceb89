// Times the text stage alone (bench/text/run runs it): reads verbose_json transcripts whose words
// are the recogniser's raw stream (punctuate=false, numerals=false), applies every text step with
// the server's code, and prints one JSON line: words, the one-off data load, and the time per pass.
//
//   vox_text_bench [--passes N] FILE.json...
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vox/core/config.h"
#include "vox/pipeline/merge.h"
#include "vox/text/text_stage.h"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

bool read_words(const std::string& path, std::vector<vox::Word>& out) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.contains("words")) return false;
  for (const auto& w : j["words"])
    out.push_back(vox::Word{w.value("word", ""), w.value("start", 0.0), w.value("end", 0.0), 1.0f, w.value("speaker", "")});
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int passes = 5;
  std::vector<std::vector<vox::Word>> files;
  size_t words = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--passes" && i + 1 < argc) {
      passes = std::max(1, std::atoi(argv[++i]));
      continue;
    }
    files.emplace_back();
    if (!read_words(a, files.back())) {
      std::fprintf(stderr, "vox_text_bench: %s: not a verbose_json transcript with words\n", a.c_str());
      return 1;
    }
    words += files.back().size();
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: vox_text_bench [--passes N] FILE.json...\n");
    return 1;
  }
  vox::Config config;
  vox::TextStage stage(config.text, config.engines.sphinx_model_dir);
  vox::TextOptions options;
  options.detect_paragraphs = options.detect_entities = options.detect_sentiment = true;

  auto run_all = [&]() -> bool {
    for (const auto& raw : files) {
      std::vector<vox::Word> w = raw;
      auto formatted = stage.write(w, options, false);
      if (!formatted) {
        std::fprintf(stderr, "vox_text_bench: %s\n", formatted.error().message.c_str());
        return false;
      }
      vox::Transcript t;
      t.segments = vox::build_segments(w);
      vox::finalize_transcript(t);
      if (auto s = stage.annotate(t, options, std::move(*formatted)); !s) {
        std::fprintf(stderr, "vox_text_bench: %s\n", s.error().message.c_str());
        return false;
      }
    }
    return true;
  };
  auto t0 = Clock::now();
  if (!run_all()) return 1;  // the first pass loads the data (language model, word lists, gazetteers)
  double first_ms = ms_since(t0);
  t0 = Clock::now();
  for (int p = 0; p < passes; ++p)
    if (!run_all()) return 1;
  double pass_ms = ms_since(t0) / passes;
  std::printf("{\"files\": %zu, \"words\": %zu, \"load_ms\": %.1f, \"pass_ms\": %.2f}\n", files.size(), words,
              first_ms - pass_ms, pass_ms);
  return 0;
}
