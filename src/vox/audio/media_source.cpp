#include "vox/audio/media_source.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

extern "C" {
#include <libavutil/error.h>
#include <libavutil/mem.h>
}

namespace vox::ffmpeg {
namespace {

constexpr int kAvioBufferSize = 64 * 1024;

int read_cb(void* opaque, std::uint8_t* buf, int len) {
  auto* src = static_cast<MediaSource*>(opaque);
  int n = src->read(buf, len);
  if (n < 0) return AVERROR(EIO);
  return n == 0 ? AVERROR_EOF : n;
}

std::int64_t seek_cb(void* opaque, std::int64_t offset, int whence) {
  auto* src = static_cast<MediaSource*>(opaque);
  const auto size = static_cast<std::int64_t>(src->size());
  switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE: return size;
    case SEEK_SET: break;
    case SEEK_CUR: offset += src->position(); break;
    case SEEK_END: offset += size; break;
    default: return AVERROR(EINVAL);
  }
  if (offset < 0 || offset > size) return AVERROR(EINVAL);
  std::int64_t pos = src->seek_to(offset);
  return pos < 0 ? AVERROR(EIO) : pos;
}

class MemorySource final : public MediaSource {
 public:
  explicit MemorySource(std::string_view data) : data_(data) {}
  std::uint64_t size() const override { return data_.size(); }
  int read(std::uint8_t* buf, int len) override {
    std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(len), data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    return static_cast<int>(n);
  }
  std::int64_t seek_to(std::int64_t pos) override { pos_ = static_cast<std::size_t>(pos); return pos; }
  std::int64_t position() const override { return static_cast<std::int64_t>(pos_); }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

class FileSource final : public MediaSource {
 public:
  FileSource(std::FILE* f, std::uint64_t size) : f_(f), size_(size) {}
  ~FileSource() override { std::fclose(f_); }
  std::uint64_t size() const override { return size_; }
  int read(std::uint8_t* buf, int len) override {
    std::size_t n = std::fread(buf, 1, static_cast<std::size_t>(len), f_);
    if (n == 0 && std::ferror(f_)) { io_failed_ = true; return -1; }
    return static_cast<int>(n);
  }
  std::int64_t seek_to(std::int64_t pos) override {
    return fseeko(f_, static_cast<off_t>(pos), SEEK_SET) == 0 ? pos : -1;
  }
  std::int64_t position() const override { return static_cast<std::int64_t>(ftello(f_)); }

 private:
  std::FILE* f_;
  std::uint64_t size_;
};

}  // namespace

MediaSource::~MediaSource() {
  if (avio_) {
    av_freep(&avio_->buffer);  // FFmpeg may have replaced our buffer; free whatever it holds now
    avio_context_free(&avio_);
  }
}

Result<AVIOContext*> MediaSource::avio() {
  if (avio_) return avio_;
  auto* buffer = static_cast<std::uint8_t*>(av_malloc(kAvioBufferSize));
  if (!buffer) return Error(ErrorCode::kInternal, "out of memory allocating the decode buffer");
  avio_ = avio_alloc_context(buffer, kAvioBufferSize, 0, this, &read_cb, nullptr, &seek_cb);
  if (!avio_) {
    av_free(buffer);
    return Error(ErrorCode::kInternal, "could not allocate an FFmpeg I/O context");
  }
  return avio_;
}

std::unique_ptr<MediaSource> make_memory_source(std::string_view data) {
  return std::make_unique<MemorySource>(data);
}

Result<std::unique_ptr<MediaSource>> open_file_source(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return Error(ErrorCode::kNotFound, "audio file not found: " + path);
  if (!fs::is_regular_file(status)) return Error(ErrorCode::kIo, "not a regular file: " + path);
  auto size = fs::file_size(path, ec);
  if (ec) return Error(ErrorCode::kIo, "cannot stat " + path + ": " + ec.message());
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Error(ErrorCode::kIo, "cannot open " + path + ": " + std::strerror(errno));
  return std::unique_ptr<MediaSource>(std::make_unique<FileSource>(f, size));
}

}  // namespace vox::ffmpeg
