// A one-line progress bar on stderr, only when stderr is a terminal.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace vox::cli {

class ProgressBar {
 public:
  ProgressBar(std::string label, bool enabled);
  void update(std::string_view stage, double overall);
  void finish();

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  int last_permille_ = -1;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace vox::cli
