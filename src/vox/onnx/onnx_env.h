// Process-wide ONNX Runtime environment and session options (internal to vox_onnx).
#pragma once

#include <onnxruntime_cxx_api.h>

#include "vox/core/error.h"
#include "vox/onnx/onnx_session.h"

namespace vox::onnx_detail {

// The one Ort::Env of the process, created on first use (thread-safe). ORT allows exactly one
// live environment, so every session in vox is made from this one.
Result<Ort::Env*> shared_env();

// Session options for `options`: threads, no spinning, and the CUDA provider when asked for.
// May throw Ort::Exception: the caller converts it.
Ort::SessionOptions make_session_options(const OnnxOptions& options);

}  // namespace vox::onnx_detail
