#include "vox/tts/flite_rand.h"

#include <cstdlib>

namespace {
thread_local std::uint64_t flite_rand_state = 0x853c49e6748fea9bULL;
}

extern "C" int vox_flite_rand(void) {
  // splitmix64: tiny, fast and of far better quality than the rand() it replaces.
  std::uint64_t z = (flite_rand_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return int(z % (std::uint64_t(RAND_MAX) + 1));  // same range as rand(): 0..RAND_MAX
}

namespace vox {

void seed_flite_rand(std::uint32_t seed) { flite_rand_state = 0x853c49e6748fea9bULL ^ seed; }

}  // namespace vox
