#include "vox/audio/ffmpeg_util.h"

#include <mutex>

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
}

namespace vox::ffmpeg {

void init_once() {
  static std::once_flag flag;
  // AV_LOG_QUIET: every failure we care about surfaces as a return code we translate ourselves;
  // FFmpeg's per-packet warnings on damaged uploads would only flood the server log.
  std::call_once(flag, [] { av_log_set_level(AV_LOG_QUIET); });
}

std::string error_string(int averror) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  if (av_strerror(averror, buf, sizeof(buf)) < 0) return "FFmpeg error " + std::to_string(averror);
  return buf;
}

}  // namespace vox::ffmpeg
