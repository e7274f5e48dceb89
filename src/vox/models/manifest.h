// The downloadable models (models/manifest.json, compiled in): what each is, which engine uses
// it, where it goes under MODELS_DIR, and per file the URL, size and SHA-256 when known.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vox/core/error.h"

namespace vox::models {

struct ModelFile {
  std::string url;
  std::string path;                   // relative to the model's directory
  std::optional<std::uint64_t> size;  // bytes, when the manifest knows it
  std::string sha256;                 // lower-case hex; "" = unknown, the download cannot be verified
};

struct ModelEntry {
  std::string name;         // what `vox models pull NAME` and a request's `model` field say
  std::string kind;         // transcription | diarization | speech | punctuation | ner
  std::string engine;       // the engine that loads it: nemo-transducer, nemo-ctc, whisper, pyannote, piper,
                            // ct-transformer (--punctuation-model), bert-ner (--ner-model)
  std::string description;
  std::string dir;          // under MODELS_DIR; "" = MODELS_DIR itself (Piper voices)
  std::string approx_size;  // for listings, e.g. "640 MB"
  std::vector<ModelFile> files;
};

// Parses a manifest; errors name the entry and field at fault (kInvalidArgument).
Result<std::vector<ModelEntry>> parse_manifest(std::string_view json);
// The compiled-in manifest (parsed once; a broken one is a build-time test failure, and here
// yields an empty list rather than an abort).
const std::vector<ModelEntry>& builtin_manifest();
const ModelEntry* find_model(std::string_view name);

// MODELS_DIR/<dir>.
std::string install_dir(const ModelEntry& model, const std::string& models_dir);
// Every file present (and of the manifest's size where it gives one).
bool is_installed(const ModelEntry& model, const std::string& models_dir);

}  // namespace vox::models
