#include "vox/asr/nemo_transducer_model.h"

#include <algorithm>
#include <cmath>

#include "vox/asr/neural_recognizer.h"

namespace vox::asr {

namespace {

Error not_transducer(const std::string& path, const std::string& why) {
  return Error(ErrorCode::kUnavailable, path + " is not a NeMo transducer export as sherpa-onnx writes it: " + why);
}

bool is_int(TensorType t) { return t == TensorType::kInt64 || t == TensorType::kInt32; }

Status check_encoder(const OnnxSession& s) {
  const auto& in = s.inputs();
  const auto& out = s.outputs();
  if (in.size() != 2 || in[0].type != TensorType::kFloat || in[0].shape.size() != 3 || in[1].type != TensorType::kInt64)
    return not_transducer(s.path(), "expected inputs (features f32 (B, C, T), lengths i64 (B))");
  if (out.size() < 2 || out[0].type != TensorType::kFloat || out[0].shape.size() != 3 || !is_int(out[1].type))
    return not_transducer(s.path(), "expected outputs (encoded f32 (B, D, T'), lengths (B))");
  return Status::Ok();
}

Status check_decoder(const OnnxSession& s) {
  const auto& in = s.inputs();
  if (in.size() != 4 || !is_int(in[0].type) || in[0].shape.size() != 2 || !is_int(in[1].type) ||
      in[2].type != TensorType::kFloat || in[3].type != TensorType::kFloat || s.outputs().size() != 4)
    return not_transducer(s.path(), "expected a stateful decoder: targets, target_length, two states in; "
                                    "output, lengths, two states out");
  return Status::Ok();
}

Status check_joiner(const OnnxSession& s) {
  const auto& in = s.inputs();
  if (in.size() != 2 || in[0].type != TensorType::kFloat || in[1].type != TensorType::kFloat || s.outputs().empty() ||
      s.outputs()[0].type != TensorType::kFloat)
    return not_transducer(s.path(), "expected a joiner: encoder_outputs, decoder_outputs in; scores out");
  return Status::Ok();
}

// An integer input of the type the model declares.
InputTensor int_input(const TensorInfo& info, std::vector<std::int64_t> shape, const std::vector<std::int32_t>& i32,
                      const std::vector<std::int64_t>& i64) {
  return info.type == TensorType::kInt32 ? InputTensor::int32s(info.name, std::move(shape), i32)
                                         : InputTensor::int64s(info.name, std::move(shape), i64);
}

}  // namespace

NemoTransducerModel::NemoTransducerModel(Parts p, NemoFeatureExtractor fx)
    : encoder_(std::move(p.encoder)),
      decoder_(std::move(p.decoder)),
      joiner_(std::move(p.joiner)),
      tokens_(std::move(p.tokens)),
      extractor_(std::move(fx)),
      subsampling_(p.subsampling),
      layers_(p.layers),
      hidden_(p.hidden) {}

Result<std::unique_ptr<NemoTransducerModel>> NemoTransducerModel::load(const std::string& dir, const OnnxOptions& options) {
  Parts p;
  auto tokens = TokenTable::load(dir + "/tokens.txt");
  if (!tokens) return tokens.error();
  if (tokens->find("<blk>") != tokens->size() - 1)
    return Error(ErrorCode::kUnavailable, dir + "/tokens.txt: the blank token <blk> must be the last token");
  p.tokens = std::move(*tokens);
  for (auto [name, slot] : {std::pair{"encoder", &p.encoder}, {"decoder", &p.decoder}, {"joiner", &p.joiner}}) {
    auto s = OnnxSession::load(onnx_file(dir, name), options);
    if (!s) return s.error();
    *slot = std::move(*s);
  }
  if (Status st = check_encoder(*p.encoder); !st) return st.error();
  if (Status st = check_decoder(*p.decoder); !st) return st.error();
  if (Status st = check_joiner(*p.joiner); !st) return st.error();

  const OnnxSession& enc = *p.encoder;
  std::int64_t meta[4];
  const char* keys[4] = {"vocab_size", "subsampling_factor", "pred_rnn_layers", "pred_hidden"};
  for (int i = 0; i < 4; ++i) {
    auto v = enc.metadata_int(keys[i]);
    if (!v) return v.error();
    if (*v < 1 || *v > 1'000'000) return not_transducer(enc.path(), std::string(keys[i]) + " is out of range");
    meta[i] = *v;
  }
  if (p.tokens.size() != meta[0] + 1)
    return Error(ErrorCode::kUnavailable, dir + "/tokens.txt has " + std::to_string(p.tokens.size()) +
                                              " tokens but the encoder's vocab_size is " + std::to_string(meta[0]) +
                                              " (+1 for the blank)");
  p.subsampling = int(meta[1]);
  p.layers = int(meta[2]);
  p.hidden = int(meta[3]);
  const std::string* norm_text = enc.find_metadata("normalize_type");
  if (!norm_text) return not_transducer(enc.path(), "it lacks metadata 'normalize_type'");
  auto norm = parse_normalize_type(*norm_text);
  if (!norm) return Error(norm.error().code, enc.path() + ": " + norm.error().message);
  std::int64_t feat_dim = enc.inputs()[0].shape[1];
  if (enc.find_metadata("feat_dim")) {
    auto fd = enc.metadata_int("feat_dim");
    if (!fd) return fd.error();
    if (feat_dim > 0 && *fd != feat_dim)
      return not_transducer(enc.path(), "feat_dim " + std::to_string(*fd) + " differs from its input shape " +
                                            shape_string(enc.inputs()[0].shape));
    feat_dim = *fd;
  }
  if (feat_dim <= 0) return not_transducer(enc.path(), "neither metadata feat_dim nor the input shape give the mel bins");
  auto fx = NemoFeatureExtractor::create({int(feat_dim), *norm});
  if (!fx) return Error(fx.error().code, enc.path() + ": " + fx.error().message);
  std::unique_ptr<NemoTransducerModel> model(new NemoTransducerModel(std::move(p), std::move(*fx)));
  if (Status st = model->probe_joiner(); !st) return st.error();
  return model;
}

namespace {
// A batch dimension the export leaves open (a symbolic or -1 dimension).
bool dynamic_dim(const TensorInfo& t, std::size_t axis) { return axis < t.shape.size() && t.shape[axis] < 0; }
}  // namespace

Status NemoTransducerModel::probe_joiner() {
  encoder_dim_ = int(encoder_->outputs()[0].shape[1]);
  if (encoder_dim_ <= 0) encoder_dim_ = int(joiner_->inputs()[0].shape[1]);
  if (encoder_dim_ <= 0) return not_transducer(encoder_->path(), "the encoder output dimension is not static");
  const auto& din = decoder_->inputs();
  const auto& jin = joiner_->inputs();
  batched_search_ = dynamic_dim(din[0], 0) && dynamic_dim(din[2], 1) && dynamic_dim(din[3], 1) &&
                    dynamic_dim(jin[0], 0) && dynamic_dim(jin[1], 0);
  const int blank = tokens_.size() - 1;
  const PredictorState fresh;
  const PredictorState* from[] = {&fresh};
  auto pred = predict(std::span<const int>(&blank, 1), from);
  if (!pred) return pred.error();
  if (int((*pred)[0].output.size()) != hidden_)
    return not_transducer(decoder_->path(), "its output has " + std::to_string((*pred)[0].output.size()) +
                                                " values, metadata pred_hidden says " + std::to_string(hidden_));
  std::vector<float> zeros(std::size_t(encoder_dim_), 0.0f);
  const PredictorState* probe[] = {&(*pred)[0]};
  auto scores = join(zeros, encoder_dim_, probe);
  if (!scores) return scores.error();
  const int extra = int(scores->size()) - tokens_.size();
  if (extra < 0)
    return not_transducer(joiner_->path(), "it scores " + std::to_string(scores->size()) + " classes for " +
                                               std::to_string(tokens_.size()) + " tokens");
  joiner_width_ = int(scores->size());
  for (int d = 0; d < extra; ++d) durations_.push_back(d);  // Parakeet TDT: durations 0..4
  return Status::Ok();
}

Result<std::vector<PredictorState>> NemoTransducerModel::predict(std::span<const int> tokens,
                                                                 std::span<const PredictorState* const> previous) const {
  const auto& in = decoder_->inputs();
  const std::int64_t n = std::int64_t(tokens.size());
  const std::size_t per_layer = std::size_t(hidden_), layers = std::size_t(layers_);
  std::vector<std::int32_t> t32(tokens.begin(), tokens.end()), len32(tokens.size(), 1);
  std::vector<std::int64_t> t64(tokens.begin(), tokens.end()), len64(tokens.size(), 1);
  // Per-utterance states (L x H each) -> the (L, n, H) tensors the decoder takes.
  std::vector<float> s0(layers * std::size_t(n) * per_layer, 0.0f), s1(s0.size(), 0.0f);
  for (std::int64_t b = 0; b < n; ++b) {
    const PredictorState& p = *previous[std::size_t(b)];
    if (p.state.empty()) continue;  // the initial zeros
    if (p.state.size() != 2 || p.state[0].size() != layers * per_layer || p.state[1].size() != layers * per_layer)
      return Error(ErrorCode::kInternal, decoder_->path() + " returned states of an unexpected size");
    for (std::size_t l = 0; l < layers; ++l) {
      const std::size_t to = (l * std::size_t(n) + std::size_t(b)) * per_layer, from = l * per_layer;
      std::copy_n(p.state[0].begin() + std::ptrdiff_t(from), per_layer, s0.begin() + std::ptrdiff_t(to));
      std::copy_n(p.state[1].begin() + std::ptrdiff_t(from), per_layer, s1.begin() + std::ptrdiff_t(to));
    }
  }
  std::vector<InputTensor> inputs = {int_input(in[0], {n, 1}, t32, t64), int_input(in[1], {n}, len32, len64),
                                     InputTensor::floats(in[2].name, {layers_, n, hidden_}, s0),
                                     InputTensor::floats(in[3].name, {layers_, n, hidden_}, s1)};
  auto out = decoder_->run(inputs);
  if (!out) return out.error();
  const OutputTensor &dec = (*out)[0], &h = (*out)[2], &c = (*out)[3];
  if (dec.f32.size() != std::size_t(n) * per_layer || h.f32.size() != s0.size() || c.f32.size() != s1.size())
    return Error(ErrorCode::kInternal, decoder_->path() + " returned outputs of shapes " + shape_string(dec.shape) +
                                           ", " + shape_string(h.shape) + " for " + std::to_string(n) + " targets");
  std::vector<PredictorState> next(tokens.size());
  for (std::size_t b = 0; b < next.size(); ++b) {
    next[b].output.assign(dec.f32.begin() + std::ptrdiff_t(b * per_layer), dec.f32.begin() + std::ptrdiff_t((b + 1) * per_layer));
    next[b].state.assign(2, std::vector<float>(layers * per_layer));
    for (std::size_t l = 0; l < layers; ++l) {
      const std::size_t from = (l * std::size_t(n) + b) * per_layer, to = l * per_layer;
      std::copy_n(h.f32.begin() + std::ptrdiff_t(from), per_layer, next[b].state[0].begin() + std::ptrdiff_t(to));
      std::copy_n(c.f32.begin() + std::ptrdiff_t(from), per_layer, next[b].state[1].begin() + std::ptrdiff_t(to));
    }
  }
  return next;
}

Result<std::vector<float>> NemoTransducerModel::join(std::span<const float> frames, int dim,
                                                     std::span<const PredictorState* const> predictors) const {
  const auto& in = joiner_->inputs();
  const std::int64_t n = std::int64_t(predictors.size());
  std::vector<float> pred(predictors.size() * std::size_t(hidden_));
  for (std::size_t b = 0; b < predictors.size(); ++b) {
    if (predictors[b]->output.size() != std::size_t(hidden_))
      return Error(ErrorCode::kInternal, decoder_->path() + " returned an output of an unexpected size");
    std::copy(predictors[b]->output.begin(), predictors[b]->output.end(), pred.begin() + std::ptrdiff_t(b * std::size_t(hidden_)));
  }
  std::vector<InputTensor> inputs = {InputTensor::floats(in[0].name, {n, dim, 1}, frames),
                                     InputTensor::floats(in[1].name, {n, hidden_, 1}, pred)};
  auto out = joiner_->run(inputs, {joiner_->outputs()[0].name});
  if (!out) return out.error();
  std::vector<float>& scores = (*out)[0].f32;
  if (joiner_width_ > 0 && scores.size() != std::size_t(n) * std::size_t(joiner_width_))
    return Error(ErrorCode::kInternal, joiner_->path() + " returned scores of shape " + shape_string((*out)[0].shape));
  return std::move(scores);
}

Result<std::vector<ChunkResult>> NemoTransducerModel::run(const std::vector<std::span<const float>>& chunks) const {
  std::vector<ChunkResult> results(chunks.size());
  const FeatureBatch fb = batch_features(extractor_, chunks);
  if (fb.index.empty()) return results;
  const auto& index = fb.index;
  const std::int64_t batch = std::int64_t(index.size());
  const auto& in = encoder_->inputs();
  std::vector<InputTensor> inputs = {InputTensor::floats(in[0].name, {batch, n_mels(), fb.max_frames}, fb.packed),
                                     InputTensor::int64s(in[1].name, {batch}, fb.lengths)};
  auto out = encoder_->run(inputs, {encoder_->outputs()[0].name, encoder_->outputs()[1].name});
  if (!out) return out.error();
  const OutputTensor& enc = (*out)[0];
  const OutputTensor& enc_len = (*out)[1];
  if (enc.shape.size() != 3 || enc.shape[0] != batch || enc.shape[1] != encoder_dim_)
    return Error(ErrorCode::kInternal, encoder_->path() + " returned an encoding of shape " + shape_string(enc.shape));
  const std::int64_t dim = enc.shape[1], frames = enc.shape[2];
  GreedyOptions opts;
  opts.vocab = tokens_.size();
  opts.blank = tokens_.size() - 1;
  opts.durations = durations_;
  opts.max_symbols_per_frame = is_tdt() ? 5 : 10;  // sherpa-onnx's caps for TDT / RNNT
  opts.max_batch = batched_search_ ? int(batch) : 1;
  // (B, D, T') channel-first -> per utterance T' x D frame-major, the rows the joiner takes.
  std::vector<std::vector<float>> frame_major(index.size());
  std::vector<EncodedUtterance> utterances(index.size());
  for (std::size_t b = 0; b < index.size(); ++b) {
    std::int64_t valid = enc_len.type == TensorType::kInt32 ? std::int64_t(enc_len.i32.at(b)) : enc_len.i64.at(b);
    valid = std::clamp<std::int64_t>(valid, 0, frames);
    frame_major[b].assign(std::size_t(valid * dim), 0.0f);
    const float* src = enc.f32.data() + std::size_t(b) * std::size_t(dim * frames);
    for (std::int64_t t = 0; t < valid; ++t)
      for (std::int64_t d = 0; d < dim; ++d) frame_major[b][std::size_t(t * dim + d)] = src[std::size_t(d * frames + t)];
    utterances[b] = {frame_major[b], int(valid)};
  }
  auto decoded = transducer_greedy(*this, utterances, int(dim), opts);
  if (!decoded) return decoded.error();
  const double frame_seconds = 0.01 * subsampling_;
  for (std::size_t b = 0; b < index.size(); ++b) {
    ChunkResult& r = results[index[b]];
    r.words = tokens_to_words(tokens_, (*decoded)[b], frame_seconds);
    double sum = 0;
    for (const auto& w : r.words) sum += std::log(std::max(1e-6f, w.confidence));
    r.avg_logprob = r.words.empty() ? 0.0 : sum / double(r.words.size());
  }
  return results;
}

}  // namespace vox::asr
