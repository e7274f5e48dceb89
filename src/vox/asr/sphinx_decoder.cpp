#include "vox/asr/sphinx_decoder.h"

#include <pocketsphinx.h>
#include <sphinxbase/err.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <mutex>

#include "vox/asr/sphinx_words.h"
#include "vox/audio/audio.h"

namespace vox {

namespace {

constexpr double kFrameRate = 100.0;             // pocketsphinx frames per second (-frate 100)

// ps_init/ps_free share global state (logging, a few static tables): one at a time, process-wide.
std::mutex& init_mutex() {
  static std::mutex m;
  return m;
}

// pocketsphinx logs to stderr by default; with -logfn, concurrent decoders close one shared file
// twice. Silence it once, before the first decoder exists.
void silence_sphinx_logging() {
  static std::once_flag once;
  std::call_once(once, [] { err_set_logfp(nullptr); });
}

std::vector<int16> to_pcm(std::span<const float> samples) {
  std::vector<int16> pcm(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) pcm[i] = int16(std::lrint(std::clamp(samples[i], -1.0f, 1.0f) * 32767.0f));
  return pcm;
}

std::string model_path(const std::string& dir, const char* name) { return (std::filesystem::path(dir) / name).string(); }

}  // namespace

Status check_sphinx_model_dir(const std::string& model_dir) {
  std::error_code ec;
  if (model_dir.empty() || !std::filesystem::is_directory(model_dir, ec))
    return Error(ErrorCode::kUnavailable, "pocketsphinx model directory '" + model_dir +
                                              "' does not exist (install pocketsphinx-en-us or set the sphinx model dir)");
  for (const char* name : {"en-us/mdef", "en-us/means", "en-us.lm.bin", "cmudict-en-us.dict"}) {
    if (!std::filesystem::is_regular_file(model_path(model_dir, name), ec))
      return Error(ErrorCode::kUnavailable,
                   "pocketsphinx model directory '" + model_dir + "' lacks " + name + " (is pocketsphinx-en-us installed?)");
  }
  return Status::Ok();
}

Result<std::unique_ptr<SphinxDecoder>> SphinxDecoder::create(const SphinxSettings& settings) {
  if (auto st = check_sphinx_model_dir(settings.model_dir); !st) return st.error();
  silence_sphinx_logging();

  std::vector<std::string> args = {"-hmm", model_path(settings.model_dir, "en-us"),
                                   "-lm", model_path(settings.model_dir, "en-us.lm.bin"),
                                   "-dict", model_path(settings.model_dir, "cmudict-en-us.dict")};
  for (const auto& [flag, value] : settings.flags) {
    if (flag == "-logfn") continue;  // see silence_sphinx_logging()
    args.push_back(flag);
    args.push_back(value);
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());

  std::lock_guard<std::mutex> lock(init_mutex());
  cmd_ln_t* config = cmd_ln_parse_r(nullptr, ps_args(), int32(argv.size()), argv.data(), TRUE);
  if (!config) return Error(ErrorCode::kUnavailable, "pocketsphinx rejected the decoder settings");
  ps_decoder_t* ps = ps_init(config);
  cmd_ln_free_r(config);  // the decoder holds its own reference
  if (!ps) return Error(ErrorCode::kUnavailable, "pocketsphinx failed to load the model in '" + settings.model_dir + "'");
  return std::unique_ptr<SphinxDecoder>(new SphinxDecoder(ps));
}

SphinxDecoder::SphinxDecoder(ps_decoder_s* ps) : ps_(ps) {}

SphinxDecoder::~SphinxDecoder() {
  std::lock_guard<std::mutex> lock(init_mutex());  // freeing touches the same shared state as ps_init
  ps_free(ps_);
}

Result<ChunkResult> SphinxDecoder::decode(std::span<const float> samples, const CancelToken& cancel) {
  if (cancel.cancelled()) return Error(ErrorCode::kCancelled, "speech recognition cancelled");
  const std::vector<int16> pcm = to_pcm(samples);

  // The whole chunk goes in as one utterance (full_utt): the cepstral mean is then computed over
  // the chunk itself (the model's batch CMN) instead of adapting live from a fixed initial guess.
  // On the librivox clips (fast flags -fwdflat no -ds 2 -topn 2 -maxhmmpf 3000) that is 22.5 % WER against 38 % for live CMN from
  // its initial value, and it makes a chunk's words independent of what the pooled decoder
  // decoded before. The price: cancellation is seen between chunks, not inside one (a 30 s chunk
  // decodes in ~6 s).
  if (in_utterance_) {  // an abandoned incremental utterance
    ps_end_utt(ps_);
    in_utterance_ = false;
  }
  if (ps_start_stream(ps_) < 0 || ps_start_utt(ps_) < 0)
    return Error(ErrorCode::kInternal, "pocketsphinx could not start an utterance");
  if (ps_process_raw(ps_, pcm.data(), pcm.size(), FALSE, TRUE) < 0) {
    ps_end_utt(ps_);
    return Error(ErrorCode::kInternal, "pocketsphinx failed while decoding");
  }
  if (ps_end_utt(ps_) < 0) return Error(ErrorCode::kInternal, "pocketsphinx failed to finish the utterance");

  return collect_words(double(samples.size()) / kAsrSampleRate);
}

ChunkResult SphinxDecoder::collect_words(double duration) {
  ChunkResult result;
  result.language = "en";
  logmath_t* lmath = ps_get_logmath(ps_);
  double logprob_sum = 0.0;
  for (ps_seg_t* seg = ps_seg_iter(ps_); seg; seg = ps_seg_next(seg)) {
    const char* raw = ps_seg_word(seg);
    if (!raw || is_sphinx_filler(raw)) continue;
    int sf = 0, ef = 0;
    ps_seg_frames(seg, &sf, &ef);
    int32 ascr = 0, lscr = 0, lback = 0;
    const int32 prob = ps_seg_prob(seg, &ascr, &lscr, &lback);
    RecognizedWord w;
    w.text = strip_pronunciation_variant(raw);
    w.start = std::clamp(sf / kFrameRate, 0.0, duration);
    w.end = std::clamp((ef + 1) / kFrameRate, w.start, duration);
    w.confidence = float(std::clamp(logmath_exp(lmath, prob), 0.0, 1.0));
    logprob_sum += logmath_log_to_ln(lmath, prob);
    result.words.push_back(std::move(w));
  }
  if (!result.words.empty()) result.avg_logprob = logprob_sum / double(result.words.size());
  return result;
}

Status SphinxDecoder::begin_utterance() {
  if (in_utterance_) {
    ps_end_utt(ps_);
    in_utterance_ = false;
  }
  if (ps_start_stream(ps_) < 0 || ps_start_utt(ps_) < 0)
    return Error(ErrorCode::kInternal, "pocketsphinx could not start an utterance");
  in_utterance_ = true;
  fed_ = 0;
  return Status::Ok();
}

Status SphinxDecoder::feed(std::span<const float> samples) {
  if (!in_utterance_) return Error(ErrorCode::kInternal, "pocketsphinx: audio fed outside an utterance");
  if (samples.empty()) return Status::Ok();
  const std::vector<int16> pcm = to_pcm(samples);
  if (ps_process_raw(ps_, pcm.data(), pcm.size(), FALSE, FALSE) < 0)
    return Error(ErrorCode::kInternal, "pocketsphinx failed while decoding");
  fed_ += samples.size();
  return Status::Ok();
}

std::string SphinxDecoder::hypothesis() {
  if (!in_utterance_) return {};
  int32 score = 0;
  const char* hyp = ps_get_hyp(ps_, &score);  // real words only, pronunciation variants folded
  return hyp ? std::string(hyp) : std::string();
}

Result<ChunkResult> SphinxDecoder::end_utterance() {
  if (!in_utterance_) return Error(ErrorCode::kInternal, "pocketsphinx: no utterance to end");
  in_utterance_ = false;
  if (ps_end_utt(ps_) < 0) return Error(ErrorCode::kInternal, "pocketsphinx failed to finish the utterance");
  return collect_words(double(fed_) / kAsrSampleRate);
}

}  // namespace vox