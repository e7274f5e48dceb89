// The neural diarizer "pyannote": pyannote segmentation-3.0 + a speaker-embedding model, both
// ONNX, run the way pyannote.audio 3.x does (sliding 10 s windows, powerset -> local speakers,
// one embedding per window and local speaker from the frames it speaks alone, clustering,
// reconstruction with the per-frame speaker count).
//
// Model layout under config.engines.models_dir (nothing is downloaded; copy the files there):
//   pyannote-segmentation-3.0/model.onnx   sherpa-onnx's export of pyannote/segmentation-3.0
//                                           (input x [N,1,160000], output y [N,589,7])
//   speaker-embedding/model.onnx           a WeSpeaker / 3D-Speaker / NeMo TitaNet export with
//                                           sherpa-onnx's metadata (see pyannote_embedding.h)
#pragma once

#include <memory>
#include <string>

#include "vox/core/config.h"
#include "vox/diar/diarizer.h"
#include "vox/diar/pyannote_embedding.h"
#include "vox/diar/pyannote_reconstruction.h"
#include "vox/diar/pyannote_segmentation.h"

namespace vox {

struct PyannoteParams {
  double cluster_threshold = 0.5;  // average-linkage cosine distance that stops merging
  int default_max_speakers = 8;    // when the caller gives no bound
  int batch_size = 4;              // segmentation windows per model call
  int threads = 1;                 // windows processed in parallel within one call
  double min_clean_s = 1.0;        // solo speech needed for a "clean" (clustering) embedding
  double min_embedding_s = 0.3;    // any speech needed for an embedding at all
  diar::ReconstructionParams reconstruction;
};

inline constexpr const char* kPyannoteSegmentationPath = "pyannote-segmentation-3.0/model.onnx";
inline constexpr const char* kSpeakerEmbeddingPath = "speaker-embedding/model.onnx";

std::unique_ptr<Diarizer> make_pyannote_diarizer_with(std::unique_ptr<diar::SegmentationModel> segmentation,
                                                      std::unique_ptr<diar::EmbeddingModel> embedding,
                                                      const PyannoteParams& params);
Result<std::unique_ptr<Diarizer>> make_pyannote_diarizer_from(const std::string& segmentation_path,
                                                              const std::string& embedding_path,
                                                              const OnnxOptions& options,
                                                              const PyannoteParams& params = {});
// Registry factory: the two models under config.engines.models_dir; kModelNotFound names the
// missing path.
Result<std::unique_ptr<Diarizer>> make_pyannote_diarizer(const Config& config);

}  // namespace vox
