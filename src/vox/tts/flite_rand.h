// A per-thread replacement for the C library's rand(), used only by flite.
//
// Why: flite's clustergen voices (slt, rms, awb) draw excitation noise from the global rand().
// That makes their output differ from call to call, and concurrent syntheses interleave one
// shared sequence. The build (src/vox/tts/CMakeLists.txt) links a private copy of libflite.a in
// which every call to rand() is renamed to vox_flite_rand(), so each thread has its own generator
// and FliteSynthesizer reseeds it before every utterance: identical text gives identical samples,
// with no lock, whatever other threads do. rand() for the rest of the process is untouched.
#pragma once

#include <cstdint>

extern "C" int vox_flite_rand(void);

namespace vox {

// Restarts the calling thread's flite noise sequence.
void seed_flite_rand(std::uint32_t seed);

}  // namespace vox
