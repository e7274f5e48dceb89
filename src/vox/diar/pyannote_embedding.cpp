#include "vox/diar/pyannote_embedding.h"

#include <array>
#include <cmath>

namespace vox::diar {

Result<std::unique_ptr<EmbeddingModel>> EmbeddingModel::load(const std::string& path, const OnnxOptions& options) {
  auto session = OnnxSession::load(path, options);
  if (!session) return session.error();
  const OnnxSession& s = **session;
  auto bad = [&](const std::string& why) {
    return Error(ErrorCode::kUnavailable, path + " is not a supported speaker-embedding model: " + why);
  };
  auto model = std::make_unique<EmbeddingModel>();
  const std::string* framework = s.find_metadata("framework");
  const bool nemo = (framework && *framework == "nemo") || s.input("audio_signal");
  model->layout_ = nemo ? Layout::kNemo : Layout::kFbank;

  auto dim = s.metadata_int("output_dim");
  if (!dim) return dim.error();
  if (*dim <= 0 || *dim > 65536) return bad("output_dim out of range");
  model->dim_ = int(*dim);
  if (const std::string* sr = s.find_metadata("sample_rate"); sr && *sr != "16000")
    return bad("sample_rate " + *sr + " (only 16000 is supported)");
  if (const std::string* norm = s.find_metadata("feature_normalize_type")) model->feature_normalize_ = *norm;

  FbankOptions& fb = model->fbank_;
  if (nemo) {
    const TensorInfo* feats = s.input("audio_signal");
    const TensorInfo* length = s.input("length");
    if (!feats || !length || feats->shape.size() != 3 || length->type != TensorType::kInt64)
      return bad("NeMo layout needs inputs audio_signal [1,80,T] float and length [1] int64");
    fb.kaldi = false;
    fb.low_freq = 0;
    fb.sample_scale = 1.0f;
    for (auto [key, dst] : std::array<std::pair<const char*, double*>, 2>{
             {{"window_size_ms", &fb.frame_length_ms}, {"window_stride_ms", &fb.frame_shift_ms}}}) {
      if (!s.find_metadata(key)) continue;
      auto v = s.metadata_int(key);
      if (!v) return v.error();
      if (*v <= 0 || *v > 1000) return bad(std::string(key) + " out of range");
      *dst = double(*v);
    }
    if (s.find_metadata("feat_dim")) {
      auto v = s.metadata_int("feat_dim");
      if (!v) return v.error();
      fb.num_bins = int(*v);
    }
    if (feats->shape[1] > 0 && feats->shape[1] != fb.num_bins)
      return bad("audio_signal has " + std::to_string(feats->shape[1]) + " features, metadata says " +
                 std::to_string(fb.num_bins));
    model->features_input_ = "audio_signal";
    model->length_input_ = "length";
    model->output_ = s.output("embs") ? "embs" : s.outputs().back().name;
  } else {
    if (s.inputs().size() != 1) return bad("fbank layout needs exactly one input [1,T,80]");
    const TensorInfo& feats = s.inputs()[0];
    if (feats.type != TensorType::kFloat || feats.shape.size() != 3 || (feats.shape[2] > 0 && feats.shape[2] != 80))
      return bad("input '" + feats.name + "' is " + shape_string(feats.shape) + ", expected [1,T,80] float");
    const bool wespeaker = framework && *framework == "wespeaker";
    fb.sample_scale = wespeaker ? 32768.f : 1.f;
    if (s.find_metadata("normalize_samples")) {
      auto v = s.metadata_int("normalize_samples");
      if (!v) return v.error();
      fb.sample_scale = *v ? 1.f : 32768.f;
    }
    model->features_input_ = feats.name;
    model->output_ = s.outputs().front().name;
  }
  const TensorInfo* out = s.output(model->output_);
  if (!out || out->type != TensorType::kFloat || (!out->shape.empty() && out->shape.back() > 0 && out->shape.back() != *dim))
    return bad("output '" + model->output_ + "' is not [1," + std::to_string(*dim) + "] float");
  model->session_ = std::move(*session);
  return model;
}

std::size_t EmbeddingModel::min_samples() const {
  return std::size_t(std::lround(fbank_.sample_rate * fbank_.frame_length_ms / 1000.0));
}

Result<std::vector<float>> EmbeddingModel::embed(std::span<const float> samples) const {
  FeatureMatrix feats = compute_fbank(samples, fbank_);
  if (feats.frames == 0) return Error(ErrorCode::kInvalidArgument, "too little audio for a speaker embedding");
  if (feature_normalize_ == "global-mean") subtract_feature_mean(feats);
  else if (feature_normalize_ == "per_feature") normalize_per_feature(feats);

  std::vector<InputTensor> inputs;
  std::vector<float> transposed;
  const std::array<std::int64_t, 1> length = {feats.frames};
  if (layout_ == Layout::kNemo) {
    transposed.resize(feats.data.size());  // [T,80] -> [80,T]
    for (int t = 0; t < feats.frames; ++t)
      for (int d = 0; d < feats.dim; ++d)
        transposed[std::size_t(d) * std::size_t(feats.frames) + std::size_t(t)] = feats.row(t)[d];
    inputs.push_back(InputTensor::floats(features_input_, {1, feats.dim, feats.frames}, transposed));
    inputs.push_back(InputTensor::int64s(length_input_, {1}, length));
  } else {
    inputs.push_back(InputTensor::floats(features_input_, {1, feats.frames, feats.dim}, feats.data));
  }
  auto out = session_->run(inputs, {output_});
  if (!out) return out.error();
  std::vector<float> e = std::move((*out)[0].f32);
  if (int(e.size()) != dim_)
    return Error(ErrorCode::kInternal, "embedding has " + std::to_string(e.size()) + " values, expected " +
                                           std::to_string(dim_));
  double norm = 0;
  for (float v : e) norm += double(v) * v;
  if (!(norm > 0) || !std::isfinite(norm)) return Error(ErrorCode::kInternal, "embedding is zero or not finite");
  const float inv = float(1.0 / std::sqrt(norm));
  for (float& v : e) v *= inv;
  return e;
}

}  // namespace vox::diar
