// The encoder implementations behind AudioEncoder::create (encoder_factory.cpp).
#pragma once

#include <memory>

#include "vox/audio/encoder.h"

namespace vox {

std::unique_ptr<AudioEncoder> make_pcm_encoder(int input_rate, bool wav_header);
Result<std::unique_ptr<AudioEncoder>> make_ffmpeg_encoder(AudioFormat format, int input_rate, int bitrate);

}  // namespace vox
