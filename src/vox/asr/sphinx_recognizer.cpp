// The "sphinx" recogniser: pocketsphinx with the pocketsphinx-en-us model, one decoder per worker.
#include <thread>

#include "vox/asr/sphinx_decoder_pool.h"
#include "vox/engines/factories.h"

namespace vox {

namespace {

// A live turn on one borrowed decoder: partials from the incremental search, final words from a
// whole-utterance pass over the turn on the same decoder. Measured on the 5 librivox clips and 16
// flite sentences (pooled decoders, so the live cepstral mean starts from another utterance's):
// incremental 19.9 % WER (librivox 29.6 %), whole-utterance pass 16.9 % (librivox 21.1 %); the
// pass costs ~0.15 s per second of audio, paid once the turn ends.
class SphinxStream : public RecognizerStream {
 public:
  explicit SphinxStream(SphinxDecoderPool::Lease lease) : lease_(std::move(lease)) {}
  ~SphinxStream() override {
    if (!finished_) (void)lease_->end_utterance();  // the decoder goes back idle
  }

  Status begin() { return lease_->begin_utterance(); }

  Status feed(std::span<const float> samples) override {
    if (finished_) return Error(ErrorCode::kInternal, "audio fed to a finished stream");
    audio_.insert(audio_.end(), samples.begin(), samples.end());
    if (!incremental_ok_) return Status::Ok();  // the final pass still gets the audio
    if (Status st = lease_->feed(samples); !st) {
      incremental_ok_ = false;
      return st;
    }
    return Status::Ok();
  }

  Result<std::string> partial() override {
    if (finished_ || !incremental_ok_) return std::string();
    return lease_->hypothesis();
  }

  Result<ChunkResult> finish() override {
    if (finished_) return Error(ErrorCode::kInternal, "stream already finished");
    finished_ = true;
    auto incremental = lease_->end_utterance();
    if (audio_.empty()) return ChunkResult{{}, "en", 0.0};
    auto full = lease_->decode(audio_, CancelToken());
    if (full || !incremental_ok_ || !incremental) return full;
    return incremental;
  }

 private:
  SphinxDecoderPool::Lease lease_;
  std::vector<float> audio_;
  bool incremental_ok_ = true;
  bool finished_ = false;
};

class SphinxRecognizer : public Recognizer {
 public:
  explicit SphinxRecognizer(std::unique_ptr<SphinxDecoderPool> pool) : pool_(std::move(pool)) {}

  std::string name() const override { return "sphinx"; }
  int parallelism() const override { return pool_->size(); }

  Result<ChunkResult> recognize(const AudioChunk& chunk, const RecognizeOptions& options,
                                const CancelToken& cancel) override {
    if (!options.language.empty() && options.language != "en")
      return Error(ErrorCode::kInvalidArgument,
                   "the sphinx engine only knows English ('en'), not '" + options.language + "'", "language");
    if (chunk.samples.empty()) return ChunkResult{{}, "en", 0.0};
    auto decoder = pool_->acquire(cancel);
    if (!decoder) return decoder.error();
    return (*decoder)->decode(chunk.samples, cancel);
  }

  Result<std::unique_ptr<RecognizerStream>> open_stream(const RecognizeOptions& options) override {
    if (!options.language.empty() && options.language != "en")
      return Error(ErrorCode::kInvalidArgument,
                   "the sphinx engine only knows English ('en'), not '" + options.language + "'", "language");
    // Never waits, and never takes the last decoder whole-chunk work needs (acquire_long()): a turn
    // that gets none is decoded whole when it ends, without partials.
    auto decoder = pool_->acquire_long();
    if (!decoder) return decoder.error();
    auto stream = std::make_unique<SphinxStream>(std::move(*decoder));
    if (Status st = stream->begin(); !st) return st.error();
    return std::unique_ptr<RecognizerStream>(std::move(stream));
  }

 private:
  std::unique_ptr<SphinxDecoderPool> pool_;
};

}  // namespace

Result<std::unique_ptr<Recognizer>> make_sphinx_recognizer(const Config& config) {
  SphinxSettings settings;
  settings.model_dir = config.engines.sphinx_model_dir;
  int threads = config.engines.threads;
  if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
  auto pool = SphinxDecoderPool::create(settings, threads);
  if (!pool) return pool.error();
  return std::unique_ptr<Recognizer>(new SphinxRecognizer(std::move(*pool)));
}

}  // namespace vox
