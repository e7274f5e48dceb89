#include "vox/diar/embedded_diarizer.h"

namespace vox {

namespace {

class EmbeddedDiarizer final : public Diarizer {
 public:
  explicit EmbeddedDiarizer(const EmbeddedDiarizerParams& params) : params_(params) {}
  std::string name() const override { return "embedded"; }
  // Stateless apart from the read-only parameters, so concurrent calls are safe.
  Result<std::vector<SpeakerTurn>> diarize(std::span<const float> samples, const std::vector<SpeechRegion>& speech,
                                           const DiarizeOptions& options, const ProgressFn& progress,
                                           const CancelToken& cancel) override {
    return diar::diarize_recording(samples, speech, options, params_, progress, cancel);
  }

 private:
  const EmbeddedDiarizerParams params_;
};

}  // namespace

std::unique_ptr<Diarizer> make_embedded_diarizer_with(const EmbeddedDiarizerParams& params) {
  return std::make_unique<EmbeddedDiarizer>(params);
}

Result<std::unique_ptr<Diarizer>> make_embedded_diarizer(const Config& /*config*/) {
  return make_embedded_diarizer_with(EmbeddedDiarizerParams{});
}

}  // namespace vox
