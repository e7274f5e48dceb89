#include "vox/models/model_store.h"

#include <openssl/evp.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

namespace vox::models {

namespace fs = std::filesystem;

Result<std::string> sha256_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kIo, "cannot read " + path);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    return Error(ErrorCode::kInternal, "OpenSSL SHA-256 is unavailable");
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), std::streamsize(buf.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buf.data(), std::size_t(in.gcount()));
  }
  if (in.bad()) return Error(ErrorCode::kIo, "error reading " + path);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &len);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

namespace {

void say(const PullEvents& ev, const std::string& text) {
  if (ev.note) ev.note(text);
}

// Checks a finished .part file and moves it into place.
Status finish(const ModelFile& file, const std::string& part, const std::string& dest, const PullEvents& ev) {
  std::error_code ec;
  const std::uint64_t have = fs::file_size(part, ec);
  if (file.size && have != *file.size) {
    fs::remove(part, ec);
    return Error(ErrorCode::kIo, file.path + ": downloaded " + std::to_string(have) + " bytes, the manifest says " +
                                     std::to_string(*file.size) + "; deleted the download, run pull again");
  }
  if (file.sha256.empty()) {
    say(ev, "cannot verify " + file.path + ": the manifest has no SHA-256 for it");
  } else {
    auto sum = sha256_file(part);
    if (!sum) return sum.error();
    if (*sum != file.sha256) {
      fs::remove(part, ec);
      return Error(ErrorCode::kIo, file.path + ": checksum mismatch (SHA-256 " + *sum + ", expected " + file.sha256 +
                                       "); deleted the download");
    }
  }
  fs::rename(part, dest, ec);
  if (ec) return Error(ErrorCode::kIo, "cannot move " + part + " to " + dest + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

Status download_file(HttpFetcher& http, const ModelFile& file, const std::string& dest, const PullEvents& ev) {
  const std::string part = dest + ".part";
  std::error_code ec;
  fs::create_directories(fs::path(dest).parent_path(), ec);
  std::uint64_t offset = fs::is_regular_file(part, ec) ? fs::file_size(part, ec) : 0;
  if (file.size && offset > *file.size) {  // not a prefix of this file: start over
    fs::remove(part, ec);
    offset = 0;
  }
  if (file.size && offset == *file.size) return finish(file, part, dest, ev);
  if (offset > 0) say(ev, "resuming " + file.path + " at " + std::to_string(offset) + " bytes");

  std::unique_ptr<std::FILE, decltype(&std::fclose)> out(nullptr, std::fclose);
  FetchResponse response;
  std::uint64_t done = offset, total = file.size.value_or(0);
  bool write_failed = false, range_done = false;
  Status st = http.get(
      file.url, offset,
      [&](const FetchResponse& r) {
        response = r;
        if (r.status == 416) {  // nothing left after our offset: the partial file is complete
          range_done = true;
          return;
        }
        const bool append = r.status == 206 && offset > 0;
        if (r.status == 200) done = 0;  // the server ignored the Range: start from the beginning
        if (r.status == 200 || r.status == 206) {
          if (r.total && !total) total = *r.total;
          out.reset(std::fopen(part.c_str(), append ? "ab" : "wb"));
          if (!out) write_failed = true;
        }
      },
      [&](std::string_view data) {
        if (!out) return false;
        if (std::fwrite(data.data(), 1, data.size(), out.get()) != data.size()) {
          write_failed = true;
          return false;
        }
        done += data.size();
        if (ev.progress) ev.progress(file, done, total);
        return true;
      });
  if (out) out.reset();  // flush before checking sizes
  if (write_failed) return Error(ErrorCode::kIo, "cannot write " + part);
  if (!st) return Error(st.error().code, st.error().message + " (the partial download is kept; pull again to resume)");
  if (!range_done && response.status != 200 && response.status != 206)
    return Error(ErrorCode::kIo, "download of " + file.url + " failed: HTTP " + std::to_string(response.status));
  if (!range_done && total && done < total)
    return Error(ErrorCode::kIo, file.path + ": the connection ended at " + std::to_string(done) + " of " +
                                     std::to_string(total) + " bytes (pull again to resume)");
  return finish(file, part, dest, ev);
}

Status pull_model(HttpFetcher& http, const ModelEntry& model, const std::string& models_dir, const PullEvents& ev) {
  const std::string dir = install_dir(model, models_dir);
  for (const auto& f : model.files) {
    const std::string dest = dir + "/" + f.path;
    std::error_code ec;
    if (fs::is_regular_file(dest, ec) && (!f.size || fs::file_size(dest, ec) == *f.size)) continue;
    if (Status s = download_file(http, f, dest, ev); !s) return s;
  }
  return Status::Ok();
}

Status remove_model(const ModelEntry& model, const std::string& models_dir) {
  const std::string dir = install_dir(model, models_dir);
  std::error_code ec;
  bool any = false;
  for (const auto& f : model.files) {
    for (const std::string& p : {dir + "/" + f.path, dir + "/" + f.path + ".part"}) {
      if (fs::remove(p, ec)) any = true;
      if (ec) return Error(ErrorCode::kIo, "cannot delete " + p + ": " + ec.message());
    }
  }
  if (!model.dir.empty() && fs::is_directory(dir, ec) && fs::is_empty(dir, ec)) fs::remove(dir, ec);
  if (!any) return Error(ErrorCode::kNotFound, "model '" + model.name + "' is not installed in " + models_dir);
  return Status::Ok();
}

}  // namespace vox::models
