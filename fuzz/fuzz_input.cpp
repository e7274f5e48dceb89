#include "fuzz_input.h"

#include <cstdio>
#include <cstdlib>

namespace vox::fuzz {

void invariant_failed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", what, file, line);
  std::abort();
}

}  // namespace vox::fuzz
