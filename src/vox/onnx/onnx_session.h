// The one ONNX Runtime wrapper every ONNX engine (Silero VAD, pyannote diarizer, ...) shares.
// Engines never see an ORT exception: everything ORT throws becomes a vox::Error here.
//
// Errors of load():  missing file -> kModelNotFound; a file ORT cannot load -> kUnavailable;
//                    provider "cuda" that cannot be set up -> kUnavailable (no silent CPU
//                    fallback: a GPU server that quietly runs on the CPU is a worse surprise
//                    than one that refuses to start); unknown provider -> kInvalidArgument.
// Errors of run():   wrong input names / element counts -> kInvalidArgument; ORT failing
//                    during inference -> kInternal.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vox/core/config.h"
#include "vox/core/error.h"

namespace vox {

struct OnnxOptions {
  std::string provider = "cpu";  // "cpu" | "cuda"
  int intra_threads = 1;         // threads inside one Run(); concurrency comes from callers
  std::uint64_t gpu_mem_limit = 0;  // CUDA arena limit in bytes; 0 = no limit
  std::string cudnn_conv_algo_search = "HEURISTIC";  // EXHAUSTIVE | HEURISTIC | DEFAULT
  int device_id = 0;
};

// provider, device, memory limit and cuDNN search from the engine config; one intra-op thread.
OnnxOptions onnx_options_from(const EngineConfig& engines);

enum class TensorType { kFloat, kInt64, kInt32, kOther };

struct TensorInfo {
  std::string name;
  TensorType type = TensorType::kOther;  // float16 tensors read as kFloat, with half set
  std::vector<std::int64_t> shape;  // -1 for a dynamic dimension
  // The model stores this tensor as float16 (an fp16 export without float32 I/O). Engines see
  // float32 either way: run() converts float inputs to half and half outputs to float.
  bool half = false;
};

// An input for run(): a view of caller-owned data, not copied.
struct InputTensor {
  std::string name;
  std::vector<std::int64_t> shape;  // {} for a scalar
  std::span<const float> f32;       // exactly one of f32 / i64 / i32 holds the data
  std::span<const std::int64_t> i64;
  std::span<const std::int32_t> i32;  // e.g. NeMo transducer decoders take int32 targets

  static InputTensor floats(std::string name, std::vector<std::int64_t> shape, std::span<const float> data) {
    return {std::move(name), std::move(shape), data, {}, {}};
  }
  static InputTensor int64s(std::string name, std::vector<std::int64_t> shape, std::span<const std::int64_t> data) {
    return {std::move(name), std::move(shape), {}, data, {}};
  }
  static InputTensor int32s(std::string name, std::vector<std::int64_t> shape, std::span<const std::int32_t> data) {
    return {std::move(name), std::move(shape), {}, {}, data};
  }
};

// An output of run(), copied out of ORT (float16 outputs converted to float32, type kFloat).
struct OutputTensor {
  std::string name;
  TensorType type = TensorType::kOther;
  std::vector<std::int64_t> shape;
  std::vector<float> f32;           // filled when type == kFloat
  std::vector<std::int64_t> i64;    // filled when type == kInt64
  std::vector<std::int32_t> i32;    // filled when type == kInt32
};

// A tensor that stays where the model put it (GPU memory under CUDA), to feed a later run
// without a round trip through the host: encoder outputs a decoder reads at every step, a
// decoder's caches. Opaque and immutable; copies share the tensor.
class OnnxValue {
 public:
  OnnxValue();
  ~OnnxValue();
  OnnxValue(OnnxValue&&) noexcept;
  OnnxValue& operator=(OnnxValue&&) noexcept;
  OnnxValue(const OnnxValue&) = default;
  OnnxValue& operator=(const OnnxValue&) = default;

  bool empty() const;
  const std::vector<std::int64_t>& shape() const;

 private:
  friend class OnnxSession;
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

// An input of run_bound() that an earlier run kept.
struct KeptInput {
  std::string name;
  const OnnxValue* value = nullptr;
};

struct BoundRun {
  std::vector<OutputTensor> host;  // the host outputs, in the order asked for
  std::vector<OnnxValue> kept;     // the kept outputs, in the order asked for
};

class OnnxSession {
 public:
  ~OnnxSession();
  OnnxSession(const OnnxSession&) = delete;
  OnnxSession& operator=(const OnnxSession&) = delete;

  static Result<std::unique_ptr<OnnxSession>> load(const std::string& path, const OnnxOptions& options);

  const std::string& path() const { return path_; }
  const std::string& provider() const { return provider_; }
  const std::vector<TensorInfo>& inputs() const { return inputs_; }
  const std::vector<TensorInfo>& outputs() const { return outputs_; }
  const TensorInfo* input(std::string_view name) const;
  const TensorInfo* output(std::string_view name) const;

  // The model's custom metadata (key -> value), as written by the exporter.
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  const std::string* find_metadata(std::string_view key) const;
  // A metadata entry parsed as an integer; missing or not a number -> kUnavailable naming the
  // model and the key (a model without it was exported for something else).
  Result<std::int64_t> metadata_int(std::string_view key) const;

  // Runs the model. Thread-safe: ORT allows concurrent Run() on one session, so engines share
  // one session and keep per-call state (e.g. recurrent state) on the caller's stack.
  // output_names empty = all outputs, in model order.
  Result<std::vector<OutputTensor>> run(std::span<const InputTensor> inputs,
                                        const std::vector<std::string>& output_names = {}) const;

  // Runs with ORT's IO binding: host inputs plus values kept from earlier runs in; host_outputs
  // copied out, kept_outputs left on the provider's device (no device-to-host-to-device trips,
  // and on the CPU no copies out of ORT). Same errors and thread-safety as run().
  Result<BoundRun> run_bound(std::span<const InputTensor> inputs, std::span<const KeptInput> kept,
                             const std::vector<std::string>& host_outputs,
                             const std::vector<std::string>& kept_outputs) const;

 private:
  struct Impl;
  explicit OnnxSession(std::unique_ptr<Impl> impl);
  Status check_names(std::span<const InputTensor> inputs, std::span<const KeptInput> kept,
                     const std::vector<std::string>& outputs) const;

  std::unique_ptr<Impl> impl_;
  std::string path_;
  std::string provider_;
  std::vector<TensorInfo> inputs_;
  std::vector<TensorInfo> outputs_;
  std::map<std::string, std::string> metadata_;
};

// "[1,-1,80]" for messages.
std::string shape_string(std::span<const std::int64_t> shape);

}  // namespace vox
