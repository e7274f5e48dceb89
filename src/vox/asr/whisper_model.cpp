#include "vox/asr/whisper_model.h"

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "vox/asr/token_table.h"
#include "vox/core/base64.h"

namespace vox::asr {

namespace {

namespace fs = std::filesystem;

Error not_whisper(const std::string& path, const std::string& why) {
  return Error(ErrorCode::kUnavailable, path + " is not a Whisper export as sherpa-onnx writes it: " + why);
}

// DIR/*SUFFIX, preferring the plain export over the int8 one; DIR/<plain> when none is there,
// so the error names what is expected.
std::string find_file(const std::string& dir, const std::string& plain, const std::string& int8) {
  std::string found_plain, found_int8;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.ends_with(int8)) found_int8 = found_int8.empty() || name < found_int8 ? e.path().string() : found_int8;
    else if (name.ends_with(plain)) found_plain = found_plain.empty() || name < found_plain ? e.path().string() : found_plain;
  }
  if (!found_plain.empty()) return found_plain;
  if (!found_int8.empty()) return found_int8;
  return dir + "/" + plain.substr(plain.front() == '-' ? 1 : 0);
}

template <class T>
Result<std::vector<T>> csv(const OnnxSession& s, const std::string& key) {
  const std::string* text = s.find_metadata(key);
  if (!text) return not_whisper(s.path(), "it lacks metadata '" + key + "'");
  std::vector<T> out;
  std::size_t pos = 0;
  while (pos <= text->size()) {
    std::size_t comma = text->find(',', pos);
    if (comma == std::string::npos) comma = text->size();
    std::string item = text->substr(pos, comma - pos);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if constexpr (std::is_same_v<T, std::string>) {
      out.push_back(item);
    } else {
      T v{};
      auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
      if (ec != std::errc() || p != item.data() + item.size())
        return not_whisper(s.path(), "metadata '" + key + "' is not a list of integers");
      out.push_back(v);
    }
    pos = comma + 1;
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<WhisperModel>> WhisperModel::load(const std::string& dir, const OnnxOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Error(ErrorCode::kModelNotFound, "Whisper model directory not found: " + dir);
  const std::string tokens_path = find_file(dir, "tokens.txt", "tokens.int8.txt");
  auto tokens = TokenTable::load(tokens_path);
  if (!tokens) return tokens.error();
  auto enc = OnnxSession::load(find_file(dir, "encoder.onnx", "encoder.int8.onnx"), options);
  if (!enc) return enc.error();
  auto dec = OnnxSession::load(find_file(dir, "decoder.onnx", "decoder.int8.onnx"), options);
  if (!dec) return dec.error();
  const OnnxSession& e = **enc;
  if (e.inputs().size() != 1 || e.inputs()[0].type != TensorType::kFloat || e.inputs()[0].shape.size() != 3 ||
      e.outputs().size() != 2)
    return not_whisper(e.path(), "expected mel (1, n_mels, 3000) in and cross k/v out");
  const OnnxSession& d = **dec;
  if (d.inputs().size() != 6 || d.inputs()[0].type != TensorType::kInt64 || d.inputs()[5].type != TensorType::kInt64 ||
      d.outputs().size() < 3)
    return not_whisper(d.path(), "expected tokens, two self caches, cross k/v and offset in; logits and caches out");
  auto n_mels = e.metadata_int("n_mels");
  if (!n_mels) return n_mels.error();
  auto fx = WhisperFeatureExtractor::create(int(*n_mels));
  if (!fx) return Error(fx.error().code, e.path() + ": " + fx.error().message);
  std::unique_ptr<WhisperModel> m(new WhisperModel(std::move(*enc), std::move(*dec), std::move(*fx)));
  if (Status s = m->read_metadata(); !s) return s.error();
  for (int id = 0; id < std::min(tokens->size(), m->vocab_.eot); ++id) {
    auto bytes = base64_decode(tokens->symbol(id));
    if (!bytes) return Error(ErrorCode::kUnavailable, tokens_path + ": token " + std::to_string(id) + " is not base64");
    m->vocab_.text[std::size_t(id)] = std::move(*bytes);
  }
  return m;
}

Status WhisperModel::read_metadata() {
  const OnnxSession& e = *encoder_;
  std::int64_t v[11];
  const char* keys[11] = {"n_text_layer", "n_text_ctx", "n_text_state", "n_vocab", "sot", "eot",
                          "translate", "transcribe", "no_timestamps", "no_speech", "is_multilingual"};
  for (int i = 0; i < 11; ++i) {
    auto r = e.metadata_int(keys[i]);
    if (!r) return r.error();
    if (*r < 0 || *r > 10'000'000) return not_whisper(e.path(), std::string(keys[i]) + " is out of range");
    v[i] = *r;
  }
  layers_ = int(v[0]);
  text_ctx_ = int(v[1]);
  text_state_ = int(v[2]);
  vocab_.n_vocab = int(v[3]);
  sot_ = int(v[4]);
  vocab_.eot = int(v[5]);
  transcribe_ = int(v[7]);
  vocab_.timestamp_begin = int(v[8]) + 1;
  multilingual_ = v[10] != 0;
  if (layers_ < 1 || text_ctx_ < 8 || text_state_ < 1 || vocab_.timestamp_begin + 1501 > vocab_.n_vocab ||
      vocab_.eot >= vocab_.timestamp_begin)
    return not_whisper(e.path(), "its metadata is inconsistent (layers, context, vocabulary or timestamp tokens)");
  vocab_.text.assign(std::size_t(vocab_.eot), std::string());
  auto seq = csv<std::int64_t>(e, "sot_sequence");
  if (!seq) return seq.error();
  sot_sequence_ = std::move(*seq);
  if (sot_sequence_.empty() || sot_sequence_[0] != sot_) return not_whisper(e.path(), "sot_sequence must start with sot");
  if (multilingual_) {
    auto toks = csv<int>(e, "all_language_tokens");
    if (!toks) return toks.error();
    auto codes = csv<std::string>(e, "all_language_codes");
    if (!codes) return codes.error();
    if (toks->size() != codes->size() || toks->empty() || sot_sequence_.size() < 3)
      return not_whisper(e.path(), "language tokens and codes do not match");
    lang_tokens_ = std::move(*toks);
    lang_codes_ = std::move(*codes);
  }
  return Status::Ok();
}

Result<std::vector<float>> WhisperModel::run_decoder(const std::vector<std::int64_t>& tokens, std::int64_t offset,
                                                     Cache& cache, const OnnxValue& cross_k,
                                                     const OnnxValue& cross_v) const {
  const auto& in = decoder_->inputs();
  const std::vector<std::int64_t> cache_shape = {layers_, 1, text_ctx_, text_state_};
  const std::vector<std::int64_t> off = {offset};
  std::vector<InputTensor> host = {InputTensor::int64s(in[0].name, {1, std::int64_t(tokens.size())}, tokens),
                                   InputTensor::int64s(in[5].name, {1}, off)};
  std::vector<KeptInput> kept = {{in[3].name, &cross_k}, {in[4].name, &cross_v}};
  std::vector<float> zeros;
  if (cache.k.empty()) {
    zeros.assign(std::size_t(layers_) * std::size_t(text_ctx_) * std::size_t(text_state_), 0.0f);
    host.push_back(InputTensor::floats(in[1].name, cache_shape, zeros));
    host.push_back(InputTensor::floats(in[2].name, cache_shape, zeros));
  } else {
    kept.push_back({in[1].name, &cache.k});
    kept.push_back({in[2].name, &cache.v});
  }
  const auto& out_info = decoder_->outputs();
  auto out = decoder_->run_bound(host, kept, {out_info[0].name}, {out_info[1].name, out_info[2].name});
  if (!out) return out.error();
  auto& logits = out->host[0];
  if (logits.shape.size() != 3 || logits.shape[2] != vocab_.n_vocab)
    return Error(ErrorCode::kInternal, decoder_->path() + " returned logits of shape " + shape_string(logits.shape));
  cache.k = std::move(out->kept[0]);
  cache.v = std::move(out->kept[1]);
  const std::size_t last = std::size_t(logits.shape[1] - 1) * std::size_t(vocab_.n_vocab);
  return std::vector<float>(logits.f32.begin() + std::ptrdiff_t(last), logits.f32.end());
}

Result<ChunkResult> WhisperModel::window(std::span<const float> samples, const RecognizeOptions& options) const {
  const std::vector<float> mel = extractor_.compute(samples);
  std::vector<InputTensor> in = {InputTensor::floats(encoder_->inputs()[0].name,
                                                     {1, extractor_.n_mels(), WhisperFeatureExtractor::kFrames}, mel)};
  auto enc = encoder_->run_bound(in, {}, {}, {encoder_->outputs()[0].name, encoder_->outputs()[1].name});
  if (!enc) return enc.error();
  const OnnxValue& cross_k = enc->kept[0];
  const OnnxValue& cross_v = enc->kept[1];
  ChunkResult result;
  std::vector<std::int64_t> initial = sot_sequence_;
  if (multilingual_) {
    int lang = -1;
    if (!options.language.empty()) {
      auto it = std::find(lang_codes_.begin(), lang_codes_.end(), options.language);
      if (it == lang_codes_.end())
        return Error(ErrorCode::kInvalidArgument, "this Whisper model does not know language '" + options.language + "'",
                     "language");
      lang = lang_tokens_[std::size_t(it - lang_codes_.begin())];
    } else {  // detection: the likeliest language token after <|startoftranscript|>
      Cache fresh;
      auto logits = run_decoder({sot_}, 0, fresh, cross_k, cross_v);
      if (!logits) return logits.error();
      lang = lang_tokens_[0];
      for (int t : lang_tokens_)
        if (t < int(logits->size()) && (*logits)[std::size_t(t)] > (*logits)[std::size_t(lang)]) lang = t;
    }
    initial[1] = lang;
    initial[2] = transcribe_;
    result.language = lang_codes_[std::size_t(std::find(lang_tokens_.begin(), lang_tokens_.end(), lang) - lang_tokens_.begin())];
  } else {
    if (!options.language.empty() && options.language != "en")
      return Error(ErrorCode::kInvalidArgument, "this Whisper model is English-only, not '" + options.language + "'",
                   "language");
    result.language = "en";
  }
  Cache cache;
  auto first = run_decoder(initial, 0, cache, cross_k, cross_v);
  if (!first) return first.error();
  std::int64_t offset = std::int64_t(initial.size());
  WhisperStep step = [&](int token) -> Result<std::vector<float>> {
    auto r = run_decoder({token}, offset, cache, cross_k, cross_v);
    ++offset;
    return r;
  };
  const int max_tokens = std::max(0, std::min(text_ctx_ / 2, text_ctx_ - int(initial.size()) - 1));
  double sum_logprob = 0;
  int count = 0;
  const double seconds = double(samples.size()) / WhisperFeatureExtractor::kSampleRate;
  auto segments = whisper_greedy(vocab_, std::move(*first), step, max_tokens, seconds, sum_logprob, count);
  if (!segments) return segments.error();
  result.words = whisper_words(vocab_, *segments);
  for (auto& w : result.words) {  // the model may place times past the audio it was given
    w.start = std::min(w.start, seconds);
    w.end = std::clamp(w.end, w.start, seconds);
  }
  result.avg_logprob = count ? sum_logprob / count : 0.0;
  return result;
}

Result<ChunkResult> WhisperModel::recognize(std::span<const float> samples, const RecognizeOptions& options) const {
  ChunkResult all;
  all.language = options.language.empty() ? "en" : options.language;
  double weighted = 0;
  int windows = 0;
  for (std::size_t start = 0; start < samples.size(); start += WhisperFeatureExtractor::kSamples) {
    const std::size_t n = std::min<std::size_t>(WhisperFeatureExtractor::kSamples, samples.size() - start);
    auto r = window(samples.subspan(start, n), options);
    if (!r) return r.error();
    const double at = double(start) / WhisperFeatureExtractor::kSampleRate;
    for (auto w : r->words) {
      w.start += at;
      w.end += at;
      all.words.push_back(std::move(w));
    }
    if (windows == 0) all.language = r->language;
    weighted += r->avg_logprob;
    ++windows;
  }
  all.avg_logprob = windows ? weighted / windows : 0.0;
  return all;
}

}  // namespace vox::asr
