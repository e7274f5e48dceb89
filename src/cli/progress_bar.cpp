#include "cli/progress_bar.h"

#include <cstdio>

namespace vox::cli {

ProgressBar::ProgressBar(std::string label, bool enabled)
    : label_(std::move(label)), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

void ProgressBar::update(std::string_view stage, double overall) {
  if (!enabled_) return;
  int permille = int(overall * 1000);
  if (permille == last_permille_) return;
  last_permille_ = permille;
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  // Only draw for work that takes a while: short files finish before the bar would help.
  if (elapsed < 1.0 && !drawn_) return;
  constexpr int kWidth = 30;
  int filled = int(overall * kWidth);
  std::string bar(filled, '#');
  bar.resize(kWidth, '.');
  double eta = overall > 0.02 ? elapsed * (1 - overall) / overall : 0;
  std::fprintf(stderr, "\r%s [%s] %5.1f%% %-8.*s eta %4.0fs", label_.c_str(), bar.c_str(), overall * 100,
               int(stage.size()), stage.data(), eta);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

}  // namespace vox::cli
