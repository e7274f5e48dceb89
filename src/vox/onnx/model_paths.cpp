#include "vox/onnx/model_paths.h"

#ifndef VOX_SILERO_MODEL
#error "VOX_SILERO_MODEL must be defined by cmake/VoxOnnxRuntime.cmake"
#endif

namespace vox {

std::string default_silero_model_path() { return VOX_SILERO_MODEL; }

std::string models_dir(const Config& config) { return config.engines.models_dir; }

}  // namespace vox
