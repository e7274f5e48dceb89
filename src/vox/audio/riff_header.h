// What a WAV (RIFF) header promises. FFmpeg clamps a WAV's duration to the bytes present, so a
// cut-off upload would decode "successfully"; the header's own data-chunk size tells the truth.
#pragma once

#include "vox/audio/media_source.h"

namespace vox::ffmpeg {

// Seconds of audio the RIFF/WAVE header of `source` declares, or 0 when the source is not a WAV,
// uses the streaming sizes (0 / 0xFFFFFFFF), or the header cannot be read. Leaves the source at 0.
double riff_declared_seconds(MediaSource& source);

}  // namespace vox::ffmpeg
