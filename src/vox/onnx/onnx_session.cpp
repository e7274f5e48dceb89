#include "vox/onnx/onnx_session.h"

#include <charconv>
#include <deque>
#include <exception>
#include <filesystem>
#include <numeric>

#include "vox/onnx/onnx_env.h"

namespace vox {

struct OnnxSession::Impl {
  Ort::Session session{nullptr};
  int device_id = 0;
};

struct OnnxValue::Impl {
  Ort::Value value{nullptr};
  std::vector<std::int64_t> shape;
};

namespace {

TensorType tensor_type(ONNXTensorElementDataType t) {
  switch (t) {
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT:
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16: return TensorType::kFloat;
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64: return TensorType::kInt64;
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32: return TensorType::kInt32;
    default: return TensorType::kOther;
  }
}

TensorInfo describe(const std::string& name, const Ort::TypeInfo& info) {
  TensorInfo out;
  out.name = name;
  if (info.GetONNXType() != ONNX_TYPE_TENSOR) return out;  // sequences / maps: kOther, no shape
  auto tensor = info.GetTensorTypeAndShapeInfo();
  out.type = tensor_type(tensor.GetElementType());
  out.half = tensor.GetElementType() == ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16;
  out.shape = tensor.GetShape();
  return out;
}

std::size_t element_count(std::span<const std::int64_t> shape) {
  std::size_t n = 1;
  for (auto d : shape) n *= d < 0 ? 0 : std::size_t(d);
  return n;
}

}  // namespace

std::string shape_string(std::span<const std::int64_t> shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

OnnxSession::OnnxSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OnnxSession::~OnnxSession() = default;

Result<std::unique_ptr<OnnxSession>> OnnxSession::load(const std::string& path, const OnnxOptions& options) {
  if (options.provider != "cpu" && options.provider != "cuda")
    return Error(ErrorCode::kInvalidArgument, "unknown ONNX Runtime provider '" + options.provider + "' (cpu | cuda)");
  if (!is_cudnn_conv_algo_search(options.cudnn_conv_algo_search))
    return Error(ErrorCode::kInvalidArgument, "cudnn_conv_algo_search must be HEURISTIC, EXHAUSTIVE or DEFAULT");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return Error(ErrorCode::kModelNotFound, "ONNX model not found: " + path);
  auto env = onnx_detail::shared_env();
  if (!env) return env.error();

  Ort::SessionOptions so{nullptr};
  try {
    so = onnx_detail::make_session_options(options);
  } catch (const std::exception& e) {
    return Error(ErrorCode::kUnavailable, "ONNX Runtime provider '" + options.provider +
                                              "' is not available (for cuda: run scripts/setup with VOX_WITH_CUDA=1 "
                                              "and install CUDA 13 + cuDNN): " + e.what());
  }

  auto impl = std::make_unique<Impl>();
  std::unique_ptr<OnnxSession> self(new OnnxSession(std::move(impl)));
  self->path_ = path;
  self->provider_ = options.provider;
  self->impl_->device_id = options.device_id;
  try {
    self->impl_->session = Ort::Session(**env, path.c_str(), so);
    const Ort::Session& s = self->impl_->session;
    Ort::AllocatorWithDefaultOptions alloc;
    for (std::size_t i = 0; i < s.GetInputCount(); ++i)
      self->inputs_.push_back(describe(s.GetInputNameAllocated(i, alloc).get(), s.GetInputTypeInfo(i)));
    for (std::size_t i = 0; i < s.GetOutputCount(); ++i)
      self->outputs_.push_back(describe(s.GetOutputNameAllocated(i, alloc).get(), s.GetOutputTypeInfo(i)));
    Ort::ModelMetadata meta = s.GetModelMetadata();
    for (const auto& key : meta.GetCustomMetadataMapKeysAllocated(alloc)) {
      auto value = meta.LookupCustomMetadataMapAllocated(key.get(), alloc);
      self->metadata_[key.get()] = value ? value.get() : "";
    }
  } catch (const std::exception& e) {
    return Error(ErrorCode::kUnavailable, "cannot load ONNX model " + path + ": " + e.what());
  }
  return self;
}

const TensorInfo* OnnxSession::input(std::string_view name) const {
  for (const auto& t : inputs_)
    if (t.name == name) return &t;
  return nullptr;
}

const TensorInfo* OnnxSession::output(std::string_view name) const {
  for (const auto& t : outputs_)
    if (t.name == name) return &t;
  return nullptr;
}

const std::string* OnnxSession::find_metadata(std::string_view key) const {
  auto it = metadata_.find(std::string(key));
  return it == metadata_.end() ? nullptr : &it->second;
}

Result<std::int64_t> OnnxSession::metadata_int(std::string_view key) const {
  const std::string* text = find_metadata(key);
  if (!text)
    return Error(ErrorCode::kUnavailable, "ONNX model " + path_ + " lacks metadata '" + std::string(key) + "'");
  std::int64_t value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end)
    return Error(ErrorCode::kUnavailable, "ONNX model " + path_ + ": metadata '" + std::string(key) +
                                              "' is not an integer: '" + *text + "'");
  return value;
}

namespace {

// Host inputs as ORT values over the caller's buffers (float16 inputs converted into `halves`).
struct HostInputs {
  std::vector<const char*> names;
  std::vector<Ort::Value> values;
  std::deque<std::vector<Ort::Float16_t>> halves;
};

}  // namespace

Status OnnxSession::check_names(std::span<const InputTensor> inputs, std::span<const KeptInput> kept,
                                const std::vector<std::string>& outputs) const {
  for (const auto& n : outputs)
    if (!output(n)) return Error(ErrorCode::kInvalidArgument, "ONNX model " + path_ + " has no output '" + n + "'");
  for (const auto& want : inputs_) {
    bool given = false;
    for (const auto& in : inputs) given = given || in.name == want.name;
    for (const auto& in : kept) given = given || in.name == want.name;
    if (!given) return Error(ErrorCode::kInvalidArgument, "ONNX model " + path_ + " needs input '" + want.name + "'");
  }
  for (const auto& in : kept) {
    if (!input(in.name)) return Error(ErrorCode::kInvalidArgument, "ONNX model " + path_ + " has no input '" + in.name + "'");
    if (!in.value || in.value->empty())
      return Error(ErrorCode::kInvalidArgument, "input '" + in.name + "' of " + path_ + " is an empty kept value");
  }
  return Status::Ok();
}

namespace {

// May throw Ort::Exception: callers convert it.
Status make_host_inputs(const OnnxSession& s, std::span<const InputTensor> inputs, HostInputs& out) {
  auto memory = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
  for (const auto& in : inputs) {
    const TensorInfo* info = s.input(in.name);
    if (!info) return Error(ErrorCode::kInvalidArgument, "ONNX model " + s.path() + " has no input '" + in.name + "'");
    const std::size_t want = element_count(in.shape);
    const TensorType kind = !in.i32.empty() ? TensorType::kInt32 : !in.i64.empty() ? TensorType::kInt64 : TensorType::kFloat;
    const std::size_t have = kind == TensorType::kInt32 ? in.i32.size() : kind == TensorType::kInt64 ? in.i64.size() : in.f32.size();
    if (have != want || want == 0)
      return Error(ErrorCode::kInvalidArgument, "input '" + in.name + "' of shape " + shape_string(in.shape) +
                                                    " needs " + std::to_string(want) + " values, got " +
                                                    std::to_string(have));
    if (kind != info->type)
      return Error(ErrorCode::kInvalidArgument, "input '" + in.name + "' has the wrong element type for " + s.path());
    // ORT never writes to inputs; its C API just takes non-const pointers.
    if (kind == TensorType::kFloat && info->half) {
      auto& h = out.halves.emplace_back();
      h.reserve(have);
      for (float v : in.f32) h.emplace_back(v);
      out.values.push_back(Ort::Value::CreateTensor<Ort::Float16_t>(memory, h.data(), have, in.shape.data(), in.shape.size()));
    } else if (kind == TensorType::kFloat) {
      out.values.push_back(Ort::Value::CreateTensor<float>(memory, const_cast<float*>(in.f32.data()), have,
                                                           in.shape.data(), in.shape.size()));
    } else if (kind == TensorType::kInt32) {
      out.values.push_back(Ort::Value::CreateTensor<std::int32_t>(memory, const_cast<std::int32_t*>(in.i32.data()), have,
                                                                  in.shape.data(), in.shape.size()));
    } else {
      out.values.push_back(Ort::Value::CreateTensor<std::int64_t>(memory, const_cast<std::int64_t*>(in.i64.data()), have,
                                                                  in.shape.data(), in.shape.size()));
    }
    out.names.push_back(in.name.c_str());
  }
  return Status::Ok();
}

// An ORT output (in host memory) copied into an OutputTensor; float16 becomes float32.
Result<OutputTensor> to_host(const Ort::Value& value, const std::string& name) {
  OutputTensor out;
  out.name = name;
  if (!value.IsTensor()) return Error(ErrorCode::kInternal, "output '" + name + "' is not a tensor");
  auto shape_info = value.GetTensorTypeAndShapeInfo();
  out.shape = shape_info.GetShape();
  out.type = tensor_type(shape_info.GetElementType());
  const std::size_t n = shape_info.GetElementCount();
  if (shape_info.GetElementType() == ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16) {
    const Ort::Float16_t* p = value.GetTensorData<Ort::Float16_t>();
    out.f32.resize(n);
    for (std::size_t k = 0; k < n; ++k) out.f32[k] = p[k].ToFloat();
  } else if (out.type == TensorType::kFloat) {
    const float* p = value.GetTensorData<float>();
    out.f32.assign(p, p + n);
  } else if (out.type == TensorType::kInt64) {
    const std::int64_t* p = value.GetTensorData<std::int64_t>();
    out.i64.assign(p, p + n);
  } else if (out.type == TensorType::kInt32) {
    const std::int32_t* p = value.GetTensorData<std::int32_t>();
    out.i32.assign(p, p + n);
  } else {
    return Error(ErrorCode::kInternal, "output '" + name + "' has an element type vox does not read");
  }
  return out;
}

}  // namespace

Result<std::vector<OutputTensor>> OnnxSession::run(std::span<const InputTensor> inputs,
                                                   const std::vector<std::string>& output_names) const {
  std::vector<std::string> names = output_names;
  if (names.empty())
    for (const auto& o : outputs_) names.push_back(o.name);
  if (Status st = check_names(inputs, {}, names); !st) return st.error();
  std::vector<const char*> out_names;
  for (const auto& n : names) out_names.push_back(n.c_str());
  try {
    HostInputs host;
    if (Status st = make_host_inputs(*this, inputs, host); !st) return st.error();
    auto results = impl_->session.Run(Ort::RunOptions{nullptr}, host.names.data(), host.values.data(),
                                      host.values.size(), out_names.data(), out_names.size());
    std::vector<OutputTensor> outs;
    outs.reserve(results.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
      auto out = to_host(results[i], names[i]);
      if (!out) return out.error();
      outs.push_back(std::move(*out));
    }
    return outs;
  } catch (const std::exception& e) {
    return Error(ErrorCode::kInternal, "ONNX Runtime failed running " + path_ + ": " + e.what());
  }
}

Result<BoundRun> OnnxSession::run_bound(std::span<const InputTensor> inputs, std::span<const KeptInput> kept,
                                        const std::vector<std::string>& host_outputs,
                                        const std::vector<std::string>& kept_outputs) const {
  std::vector<std::string> all = host_outputs;
  all.insert(all.end(), kept_outputs.begin(), kept_outputs.end());
  if (Status st = check_names(inputs, kept, all); !st) return st.error();
  try {
    HostInputs host;
    if (Status st = make_host_inputs(*this, inputs, host); !st) return st.error();
    Ort::IoBinding binding(impl_->session);
    for (std::size_t i = 0; i < host.values.size(); ++i) binding.BindInput(host.names[i], host.values[i]);
    for (const auto& k : kept) binding.BindInput(k.name.c_str(), k.value->impl_->value);
    auto cpu = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
    // Kept outputs are allocated where the provider computes them: GPU memory under CUDA.
    Ort::MemoryInfo device = provider_ == "cuda"
                                 ? Ort::MemoryInfo("Cuda", OrtArenaAllocator, impl_->device_id, OrtMemTypeDefault)
                                 : Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
    for (const auto& n : host_outputs) binding.BindOutput(n.c_str(), cpu);
    for (const auto& n : kept_outputs) binding.BindOutput(n.c_str(), device);
    impl_->session.Run(Ort::RunOptions{nullptr}, binding);
    binding.SynchronizeOutputs();
    std::vector<Ort::Value> values = binding.GetOutputValues();
    if (values.size() != all.size()) return Error(ErrorCode::kInternal, path_ + ": bound run lost outputs");
    BoundRun r;
    for (std::size_t i = 0; i < host_outputs.size(); ++i) {
      auto out = to_host(values[i], host_outputs[i]);
      if (!out) return out.error();
      r.host.push_back(std::move(*out));
    }
    for (std::size_t i = host_outputs.size(); i < values.size(); ++i) {
      auto impl = std::make_shared<OnnxValue::Impl>();
      impl->shape = values[i].GetTensorTypeAndShapeInfo().GetShape();
      impl->value = std::move(values[i]);
      OnnxValue v;
      v.impl_ = std::move(impl);
      r.kept.push_back(std::move(v));
    }
    return r;
  } catch (const std::exception& e) {
    return Error(ErrorCode::kInternal, "ONNX Runtime failed running " + path_ + ": " + e.what());
  }
}

OnnxValue::OnnxValue() = default;
OnnxValue::~OnnxValue() = default;
OnnxValue::OnnxValue(OnnxValue&&) noexcept = default;
OnnxValue& OnnxValue::operator=(OnnxValue&&) noexcept = default;
bool OnnxValue::empty() const { return !impl_; }
const std::vector<std::int64_t>& OnnxValue::shape() const {
  static const std::vector<std::int64_t> none;
  return impl_ ? impl_->shape : none;
}

}  // namespace vox
