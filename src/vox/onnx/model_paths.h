// Where ONNX engines find their model files.
#pragma once

#include <string>

#include "vox/core/config.h"

namespace vox {

// The Silero VAD weights unpacked by scripts/setup (path fixed at build time).
std::string default_silero_model_path();

// config.engines.models_dir, or "" when unset.
std::string models_dir(const Config& config);

}  // namespace vox
