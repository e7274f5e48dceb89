// Byte sources for libavformat: an in-memory upload or a file on disk, both read through a custom
// AVIOContext. Using our own callbacks for files too means (a) the format is probed from content
// only, never from the file name, so decode_file and decode_memory behave identically, and (b) no
// FFmpeg protocol (http:, concat:, ...) can ever be reached through a path.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "vox/core/error.h"

extern "C" {
#include <libavformat/avio.h>
}

namespace vox::ffmpeg {

class MediaSource {
 public:
  virtual ~MediaSource();
  // Total size in bytes (known up front for both kinds of source).
  virtual std::uint64_t size() const = 0;
  // AVIO callbacks' backends. read returns bytes read, 0 at end; -1 on an I/O error.
  virtual int read(std::uint8_t* buf, int len) = 0;
  // Absolute seek; returns the new position or -1.
  virtual std::int64_t seek_to(std::int64_t pos) = 0;
  virtual std::int64_t position() const = 0;
  // Set when read() failed for a reason other than end-of-data (disk error).
  bool io_failed() const { return io_failed_; }

  // The AVIOContext reading this source; owned by the source, valid for its lifetime.
  Result<AVIOContext*> avio();

 protected:
  bool io_failed_ = false;

 private:
  AVIOContext* avio_ = nullptr;
};

// Reads a caller-owned buffer in place (no copy); `data` must outlive the source.
std::unique_ptr<MediaSource> make_memory_source(std::string_view data);

// Opens a file for streaming reads. Errors: kNotFound (missing), kIo (unreadable / not a file).
Result<std::unique_ptr<MediaSource>> open_file_source(const std::string& path);

}  // namespace vox::ffmpeg
