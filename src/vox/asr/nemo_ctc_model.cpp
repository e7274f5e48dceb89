#include "vox/asr/nemo_ctc_model.h"

#include <algorithm>
#include <cmath>

#include "vox/asr/ctc_greedy.h"
#include "vox/asr/neural_recognizer.h"
#include "vox/asr/token_words.h"

namespace vox::asr {

namespace {

Error not_ctc(const std::string& path, const std::string& why) {
  return Error(ErrorCode::kUnavailable, path + " is not a NeMo CTC export as sherpa-onnx writes it: " + why);
}

}  // namespace

Result<std::unique_ptr<NemoCtcModel>> NemoCtcModel::load(const std::string& dir, const OnnxOptions& options) {
  const std::string path = onnx_file(dir, "model");
  auto tokens = TokenTable::load(dir + "/tokens.txt");
  if (!tokens) return tokens.error();
  auto session = OnnxSession::load(path, options);
  if (!session) return session.error();
  const OnnxSession& s = **session;
  if (s.inputs().size() != 2 || s.outputs().empty())
    return not_ctc(path, "expected 2 inputs (features, lengths) and a log-prob output");
  const TensorInfo& feat = s.inputs()[0];
  if (feat.type != TensorType::kFloat || feat.shape.size() != 3 || feat.shape[1] <= 0)
    return not_ctc(path, "input '" + feat.name + "' should be float (B, n_mels, T), is " + shape_string(feat.shape));
  if (s.inputs()[1].type != TensorType::kInt64 || s.inputs()[1].shape.size() != 1)
    return not_ctc(path, "input '" + s.inputs()[1].name + "' should be int64 lengths (B)");
  const TensorInfo& out = s.outputs()[0];
  if (out.type != TensorType::kFloat || out.shape.size() != 3)
    return not_ctc(path, "output '" + out.name + "' should be float (B, T, V), is " + shape_string(out.shape));

  auto vocab = s.metadata_int("vocab_size");
  if (!vocab) return vocab.error();
  auto sub = s.metadata_int("subsampling_factor");
  if (!sub) return sub.error();
  if (*sub < 1 || *sub > 64) return not_ctc(path, "subsampling_factor " + std::to_string(*sub) + " is out of range");
  const std::string* norm_text = s.find_metadata("normalize_type");
  if (!norm_text) return not_ctc(path, "it lacks metadata 'normalize_type'");
  auto norm = parse_normalize_type(*norm_text);
  if (!norm) return Error(norm.error().code, path + ": " + norm.error().message);
  // Exporters differ on whether vocab_size counts the blank; tokens.txt always lists it.
  if (tokens->size() != *vocab && tokens->size() != *vocab + 1)
    return Error(ErrorCode::kUnavailable, dir + "/tokens.txt has " + std::to_string(tokens->size()) +
                                              " tokens but the model's vocab_size is " + std::to_string(*vocab));
  if (out.shape[2] > 0 && out.shape[2] != tokens->size())
    return Error(ErrorCode::kUnavailable, path + " outputs " + std::to_string(out.shape[2]) + " classes but " + dir +
                                              "/tokens.txt has " + std::to_string(tokens->size()));
  auto fx = NemoFeatureExtractor::create({int(feat.shape[1]), *norm});
  if (!fx) return Error(fx.error().code, path + ": " + fx.error().message);
  return std::unique_ptr<NemoCtcModel>(
      new NemoCtcModel(std::move(*session), std::move(*tokens), std::move(*fx), int(*sub)));
}

Result<std::vector<ChunkResult>> NemoCtcModel::run(const std::vector<std::span<const float>>& chunks) const {
  std::vector<ChunkResult> results(chunks.size());
  const FeatureBatch fb = batch_features(extractor_, chunks);
  if (fb.index.empty()) return results;
  const auto& index = fb.index;
  const auto& lengths = fb.lengths;
  const std::int64_t batch = std::int64_t(index.size());
  std::vector<InputTensor> in = {
      InputTensor::floats(session_->inputs()[0].name, {batch, n_mels(), fb.max_frames}, fb.packed),
      InputTensor::int64s(session_->inputs()[1].name, {batch}, lengths)};
  auto out = session_->run(in, {session_->outputs()[0].name});
  if (!out) return out.error();
  const OutputTensor& lp = (*out)[0];
  if (lp.shape.size() != 3 || lp.shape[0] != batch || lp.shape[2] != tokens_.size())
    return Error(ErrorCode::kInternal, session_->path() + " returned log-probs of shape " + shape_string(lp.shape));
  const std::int64_t out_frames = lp.shape[1], vocab = lp.shape[2];
  const double frame_seconds = 0.01 * subsampling_;
  for (std::size_t b = 0; b < index.size(); ++b) {
    // The encoder's strided convolutions give ceil(T / subsampling) frames for T input frames;
    // the rest of the padded output belongs to no audio.
    const std::int64_t valid = std::min<std::int64_t>(out_frames, (lengths[b] + subsampling_ - 1) / subsampling_);
    std::span<const float> scores(lp.f32.data() + std::size_t(b) * std::size_t(out_frames * vocab),
                                  std::size_t(valid * vocab));
    auto decoded = ctc_greedy(scores, int(valid), int(vocab), tokens_.blank());
    ChunkResult& r = results[index[b]];
    r.words = tokens_to_words(tokens_, decoded, frame_seconds);
    double sum = 0;
    for (const auto& w : r.words) sum += std::log(std::max(1e-6f, w.confidence));
    r.avg_logprob = r.words.empty() ? 0.0 : sum / double(r.words.size());
  }
  return results;
}

}  // namespace vox::asr
