# ONNX Runtime 1.29 and the Silero VAD weights, unpacked from npm by scripts/setup.d/onnxruntime.sh
# into ${VOX_DEPS_DIR}. Headers and library must come from the same package: ORT versions its
# symbols per release.
set(VOX_ORT_DIR "${VOX_DEPS_DIR}/onnxruntime")
set(VOX_ORT_LIB "${VOX_ORT_DIR}/lib/libonnxruntime.so")
if(NOT EXISTS "${VOX_ORT_LIB}" OR NOT EXISTS "${VOX_ORT_DIR}/include/onnxruntime_cxx_api.h")
  message(FATAL_ERROR "ONNX Runtime not found under ${VOX_ORT_DIR}: run scripts/setup --no-build")
endif()

add_library(onnxruntime::onnxruntime SHARED IMPORTED GLOBAL)
set_target_properties(onnxruntime::onnxruntime PROPERTIES
  IMPORTED_LOCATION "${VOX_ORT_LIB}"
  IMPORTED_SONAME "libonnxruntime.so.1"
  INTERFACE_INCLUDE_DIRECTORIES "${VOX_ORT_DIR}/include")

# Binaries find libonnxruntime.so.1 (and the CUDA provider libraries beside it) without
# LD_LIBRARY_PATH, from the build tree and when installed.
list(APPEND CMAKE_BUILD_RPATH "${VOX_ORT_DIR}/lib")
list(APPEND CMAKE_INSTALL_RPATH "${VOX_ORT_DIR}/lib")

# Default location of the Silero VAD weights (config can point elsewhere via the models dir).
set(VOX_SILERO_MODEL "${VOX_DEPS_DIR}/models/silero_vad.onnx" CACHE FILEPATH "Silero VAD ONNX model")
