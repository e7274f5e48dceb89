// Helpers shared by the Piper tests: temporary model directories and voice configs.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace vox::testing {

// A fresh, empty directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("vox-piper-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string str() const { return path_.string(); }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A valid config of a single-speaker "text" voice at 16 kHz with non-default inference scales.
inline nlohmann::json text_voice_config() {
  return nlohmann::json::parse(R"({
    "audio": {"sample_rate": 16000, "quality": "x_low"},
    "espeak": {"voice": "en-us"},
    "language": {"code": "en_US"},
    "inference": {"noise_scale": 0.5, "length_scale": 1.25, "noise_w": 0.75},
    "phoneme_type": "text",
    "num_speakers": 1,
    "phoneme_id_map": {"_": [0], "^": [1], "$": [2], " ": [3], "a": [10], "b": [11], "c": [12],
                       "\u0327": [13], ".": [14], "x": [20, 21]}
  })");
}

// Writes NAME.onnx (a copy of `model`) and NAME.onnx.json into `dir`.
inline void add_voice(const std::filesystem::path& dir, const std::string& name, const std::string& model,
                      const nlohmann::json& config) {
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(model, dir / (name + ".onnx"), std::filesystem::copy_options::overwrite_existing);
  write_file(dir / (name + ".onnx.json"), config.dump());
}

}  // namespace vox::testing
