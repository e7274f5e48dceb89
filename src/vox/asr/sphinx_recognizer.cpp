// The "sphinx" recogniser: pocketsphinx with the pocketsphinx-en-us model, one decoder per worker.
#include <thread>

#include "vox/asr/sphinx_decoder_pool.h"
#include "vox/engines/factories.h"

namespace vox {

namespace {

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
