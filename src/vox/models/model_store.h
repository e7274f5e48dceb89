// Installing and removing manifest models under MODELS_DIR. A download goes to FILE.part, is
// resumed from there with an HTTP Range request after an interruption, is checked against the
// manifest's size and SHA-256, and only then renamed to FILE: a file under its real name is
// always complete. A checksum mismatch deletes the download and says so.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "vox/models/http_fetcher.h"
#include "vox/models/manifest.h"

namespace vox::models {

struct PullEvents {
  // Bytes of the current file so far and its total (0 when unknown).
  std::function<void(const ModelFile&, std::uint64_t done, std::uint64_t total)> progress;
  // Human-readable notes: "resuming ...", "cannot verify ...".
  std::function<void(const std::string&)> note;
};

// Lower-case hex SHA-256 of a file; kIo when unreadable.
Result<std::string> sha256_file(const std::string& path);

// Downloads one file to `dest` (see above). Errors: kIo (network, disk, size or checksum
// mismatch; the message says what happened to the partial file).
Status download_file(HttpFetcher& http, const ModelFile& file, const std::string& dest, const PullEvents& events);

// Every file of the model not yet installed; files already complete are kept.
Status pull_model(HttpFetcher& http, const ModelEntry& model, const std::string& models_dir, const PullEvents& events);

// Deletes the model's files (and partial downloads) and its directory when that is then empty.
Status remove_model(const ModelEntry& model, const std::string& models_dir);

}  // namespace vox::models
